// What the commands that run steps or observations share (materialize, worker, daemon, serve,
// observe): the options that tune execution, compiled once, and the process's engine.
import { parseDuration } from '../definitions/index.js';
import type { CompiledWorkerOptions, Engine } from '../executor/index.js';
import type { DatabaseHandle } from '../store/index.js';
import { declaredDuration, durationInWords } from '../util/duration-text.js';
import { ArgumentError } from './argument-error.js';
import { ARTIFACT_STORE_OPTION, commandArtifactStore } from './artifact-store-option.js';
import type { CommandContext, OptionSpec } from './command.js';
import { startOpenLineage } from './openlineage-setup.js';
import { slurmSettingsOf } from './slurm-settings.js';

/** How long `materialize` and `worker` wait for an unreachable database by default. */
export const DEFAULT_DB_OUTAGE_MS = 2 * 60_000;

/** The options of every command that runs steps. */
export const EXECUTION_OPTIONS: Readonly<
  Record<'concurrency' | 'lease' | 'db-outage' | 'artifact-store', OptionSpec>
> = {
  concurrency: {
    type: 'string',
    short: 'c',
    valueName: 'N',
    description: 'steps run at once by this process (default: CPU count)',
  },
  lease: {
    type: 'string',
    valueName: 'DURATION',
    description: 'declare a silent worker lost after this long (default 5s)',
  },
  'db-outage': {
    type: 'string',
    valueName: 'DURATION',
    description: 'wait this long for an unreachable database before giving up (default 2m)',
  },
  'artifact-store': ARTIFACT_STORE_OPTION,
};

/** Parses a positive integer option (undefined when not given), naming it in the error. */
export function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new ArgumentError(`--${option} must be a positive integer, got ${JSON.stringify(value)}`);
  return parsed;
}

/** Parses a duration option (such as --lease 5s) of at least `minMs`, naming it in the error. */
export function durationOption(
  context: CommandContext,
  option: string,
  minMs: number,
): number | undefined {
  const value = context.flags.string(option);
  if (value === undefined) return undefined;
  try {
    const ms = parseDuration(value, `--${option}`);
    if (ms < minMs)
      throw new ArgumentError(`--${option} must be at least ${declaredDuration(minMs)}`);
    return ms;
  } catch (error) {
    throw new ArgumentError(error instanceof Error ? error.message : String(error), {
      hint: `e.g. --${option} 10s`,
    });
  }
}

/**
 * Makes the command's database wait through outages (a restart, a failover) for up to
 * --db-outage, with one line when the database goes away and one when it is back.
 */
function rideOutOutages(context: CommandContext, handle: DatabaseHandle, limitMs: number): void {
  handle.outage.rideOut(limitMs, {
    down: (reason, limit) =>
      context.note(
        `database unreachable (${reason}); waiting up to ${durationInWords(limit)} for it to come back`,
      ),
    up: (downMs) => context.note(`database reachable again after ${durationInWords(downMs)}`),
  });
}

/** The engine of a command and how its worker pool runs. */
export interface ExecutionSetup {
  /** The database (riding out outages for --db-outage), graph, artifact store and git commit. */
  readonly engine: Engine;
  /** --concurrency and --lease with every default filled in. */
  readonly worker: CompiledWorkerOptions;
}

/**
 * Loads what the commands that execute share: their --concurrency, --lease and --db-outage, and
 * the engine (graph, database, artifact store, git commit; the queue's warnings go to stderr);
 * starts OpenLineage delivery when it is configured.
 */
export async function executionSetup(context: CommandContext): Promise<ExecutionSetup> {
  const concurrency = positiveInteger(context.flags.string('concurrency'), 'concurrency');
  const leaseMs = durationOption(context, 'lease', 100);
  const outageMs = durationOption(context, 'db-outage', 1_000) ?? DEFAULT_DB_OUTAGE_MS;
  // Our modules load before the definitions: once the TypeScript loader is registered for
  // them, every later import goes through it and costs about twice as much.
  const [artifacts, { gitCommitOf }, { compileWorkerOptions, createEngine }] = await Promise.all([
    commandArtifactStore(context),
    import('../util/git-commit.js'),
    import('../executor/index.js'),
  ]);
  const worker = compileWorkerOptions({ concurrency, leaseMs });
  const gitCommit = gitCommitOf(context.io.cwd);
  const [graph, database] = await Promise.all([context.loadGraph(), context.database()]);
  rideOutOutages(context, database, outageMs);
  const slurm = await slurmSettingsOf(context, database.url, artifacts);
  const engine = createEngine({
    database,
    graph,
    artifacts,
    gitCommit: await gitCommit,
    log: (level, message) => context.note(`queue ${level}: ${message}`),
    ...(slurm === undefined ? {} : { slurm }),
  });
  // Delivery runs beside the engine, on its database; its exit hook delivers before it closes.
  await startOpenLineage(context, database.db, graph);
  return { engine, worker };
}
