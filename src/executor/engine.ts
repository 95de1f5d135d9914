// The engine handle: what every part of the execution engine in one process shares (the open
// database with its outage tracker, the asset graph, the artifact store, the git commit recorded
// with runs and observations, and where the worker pool's warnings go). It is built once per
// process by createEngine and passed, first, to materialize, startWorkerPool, observeSources,
// the RunLauncher, the API app and the automation daemon, whose own options then hold only what
// differs from one call to the next (as graphile-worker's CompiledSharedOptions).
import type { ArtifactStore } from '../artifacts/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { DatabaseHandle } from '../store/index.js';
import type { SlurmSettings } from './slurm/settings.js';

/**
 * The database an engine works on: an open DatabaseHandle, or any object with its typed Kysely
 * instance, its plain pg pool (graphile-worker, LISTEN), its outage tracker and its URL. The
 * engine never closes it: whoever opened it does.
 */
export type EngineDatabase = Readonly<Pick<DatabaseHandle, 'db' | 'pool' | 'outage' | 'url'>>;

/** Receives the warnings and errors of the worker pool and its queue: level, then message. */
export type EngineLog = (level: string, message: string) => void;

/** What the execution engine of one process works with; see createEngine. */
export interface Engine {
  /** The database: provenance, runs and the job queue. */
  readonly database: EngineDatabase;
  /** The asset graph this process runs (its definitions' code versions are checked per step). */
  readonly graph: AssetGraph;
  /** Where values too large for a row and the artifacts of computations are stored. */
  readonly artifacts: ArtifactStore;
  /** Recorded with runs, materializations and observations; null outside a git checkout. */
  readonly gitCommit: string | null;
  /** The worker pool's and queue's warnings and errors (default: stderr, `queue LEVEL: …`). */
  readonly log: EngineLog;
  /** How its workers submit the attempts of Slurm-executed assets and track their jobs. */
  readonly slurm?: SlurmSettings;
}

/** The parts of an engine; `gitCommit` defaults to null and `log` to stderr. */
export interface EngineParts {
  readonly database: EngineDatabase;
  readonly graph: AssetGraph;
  readonly artifacts: ArtifactStore;
  readonly gitCommit?: string | null;
  readonly log?: EngineLog;
  readonly slurm?: SlurmSettings;
}

/** Writes a worker pool's warning to stderr. */
const logToStderr: EngineLog = (level, message) =>
  process.stderr.write(`queue ${level}: ${message}\n`);

/**
 * The engine of this process, with its defaults filled in once. The database is kept by
 * reference (not copied), so a handle whose fields are getters stays live.
 *
 * @example
 * const handle = await createDatabase(url);
 * const engine = createEngine({ database: handle, graph, artifacts });
 * await materialize(engine, { selection: 'mesh+', concurrency: 4 });
 */
export function createEngine(parts: EngineParts): Engine {
  return Object.freeze({
    database: parts.database,
    graph: parts.graph,
    artifacts: parts.artifacts,
    gitCommit: parts.gitCommit ?? null,
    log: parts.log ?? logToStderr,
    ...(parts.slurm === undefined ? {} : { slurm: parts.slurm }),
  });
}
