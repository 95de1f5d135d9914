// What `strata materialize` and `strata worker` share: options that tune execution and the
// resources a worker pool needs.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseDuration } from '../definitions/index.js';
import { ArgumentError } from './argument-error.js';
import type { CommandContext, OptionSpec } from './command.js';

/** The options of every command that runs steps. */
export const EXECUTION_OPTIONS: Readonly<Record<'concurrency' | 'lease', OptionSpec>> = {
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

/** Parses --lease (a duration such as 5s), naming it in the error. */
export function leaseOption(context: CommandContext): number | undefined {
  const value = context.flags.string('lease');
  if (value === undefined) return undefined;
  try {
    const ms = parseDuration(value, '--lease');
    if (ms < 100) throw new ArgumentError('--lease must be at least 100ms');
    return ms;
  } catch (error) {
    throw new ArgumentError(error instanceof Error ? error.message : String(error), {
      hint: 'e.g. --lease 10s',
    });
  }
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
  const leaseMs = leaseOption(context);
  // Our modules load before the definitions: once the TypeScript loader is registered for
  // them, every later import goes through it and costs about twice as much.
  const [{ LocalArtifactStore }, { gitCommitOf }] = await Promise.all([
    import('../artifacts/index.js'),
    import('../util/git-commit.js'),
    import('../executor/index.js'),
  ]);
  const gitCommit = gitCommitOf(context.io.cwd);
  const [graph, handle] = await Promise.all([context.loadGraph(), context.database()]);
  return {
    graph,
    handle,
    artifacts: new LocalArtifactStore(path.join(context.stateDir, 'artifacts')),
    gitCommit: await gitCommit,
    concurrency,
    leaseMs,
  };
}
