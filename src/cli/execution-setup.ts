// What `strata materialize` and `strata worker` share: options that tune execution and the
// resources a worker pool needs.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseDuration } from '../definitions/index.js';
import type { DatabaseHandle } from '../store/index.js';
import { declaredDuration, durationInWords } from '../util/duration-text.js';
import { ArgumentError } from './argument-error.js';
import type { CommandContext, OptionSpec } from './command.js';

/** How long `materialize` and `worker` wait for an unreachable database by default. */
export const DEFAULT_DB_OUTAGE_MS = 2 * 60_000;

/** The options of every command that runs steps. */
export const EXECUTION_OPTIONS: Readonly<
  Record<'concurrency' | 'lease' | 'db-outage', OptionSpec>
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
};

/** Parses a positive integer option, naming it in the error. */
export function positiveInteger(
  value: string | undefined,
  option: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
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

/**
 * Loads what `materialize` and `worker` share: their --concurrency and --lease, the graph, the
 * database, the artifact store and the git commit.
 */
export async function executionSetup(context: CommandContext) {
  const concurrency = positiveInteger(
    context.flags.string('concurrency'),
    'concurrency',
    availableParallelism(),
  );
  const leaseMs = durationOption(context, 'lease', 100);
  const outageMs = durationOption(context, 'db-outage', 1_000) ?? DEFAULT_DB_OUTAGE_MS;
  // Our modules load before the definitions: once the TypeScript loader is registered for
  // them, every later import goes through it and costs about twice as much.
  const [{ LocalArtifactStore }, { gitCommitOf }] = await Promise.all([
    import('../artifacts/index.js'),
    import('../util/git-commit.js'),
    import('../executor/index.js'),
  ]);
  const gitCommit = gitCommitOf(context.io.cwd);
  const [graph, handle] = await Promise.all([context.loadGraph(), context.database()]);
  rideOutOutages(context, handle, outageMs);
  return {
    graph,
    handle,
    artifacts: new LocalArtifactStore(path.join(context.stateDir, 'artifacts')),
    gitCommit: await gitCommit,
    concurrency,
    leaseMs,
  };
}
