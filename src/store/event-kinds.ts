// The run's event log, typed: one map of event kind -> the JSON its `data` column holds (as
// graphile-worker's WorkerEventMap). Writers (provenance/events.ts), the events table's row type,
// the API schema and the CLI derive from it; docs/sql.md lists the same (a test keeps them so).
// It lives in store/ because the Kysely row type of the events table is typed by it.
import type { RunOptions, StoredError } from './json-columns.js';

/** Every event kind and the payload its `data` holds (`null`: no payload). */
export interface EventDataMap {
  /** A run was created with `steps` steps; `fresh` partitions were fresh and left out. */
  run_started: { readonly steps: number; readonly fresh: number; readonly options: RunOptions };
  /** A producer's new partitions added `added` steps and skipped `removed` (no longer produced). */
  run_expanded: { readonly added: number; readonly removed: number };
  /** A step waits: run `runId` is computing the same asset partition. */
  step_partition_busy: { readonly runId: number };
  /** A step waits for a worker with its code version; `workerId` has other code. */
  step_needs_other_code: { readonly workerId: string };
  /** A step's attempt was submitted to Slurm as job `jobId` (docs/slurm.md). */
  step_submitted: { readonly jobId: string };
  /** A step computed and recorded a materialization. */
  step_materialized: { readonly materializationId: number; readonly dataVersion: string };
  /**
   * A check judged the step's materialization (docs/semantics.md, "Asset checks"); level error
   * when it failed with severity error, warn with severity warn.
   */
  check_evaluated: {
    readonly check: string;
    readonly checkVersion: string;
    readonly passed: boolean;
    readonly severity: 'warn' | 'error';
    readonly blocking: boolean;
    readonly materializationId: number;
  };
  /** A step reused an identical materialization (same inputs and code) instead of computing. */
  step_reused: { readonly materializationId: number; readonly dataVersion: string };
  /** A step found its latest materialization up to date with its inputs (early cutoff). */
  step_fresh: { readonly materializationId: number };
  /** An attempt failed or timed out and another is scheduled in `delayMs`. */
  step_retry_scheduled: { readonly error: StoredError; readonly delayMs: number };
  /** A step failed for good (its last attempt failed or timed out). */
  step_failed: { readonly error: StoredError };
  /** A step will not run: an upstream step failed, or its partition is no longer produced. */
  step_skipped: null;
  /** A step was cancelled while running. */
  step_canceled: null;
  /** An attempt's worker stopped heartbeating or abandoned it; the step is taken over. */
  attempt_lost: null;
  /**
   * A line user code wrote with `ctx.log`, with the data it passed, if any; or a line its compute
   * wrote to stdout or stderr, captured, with `{ stream }` (level info for stdout, warn for
   * stderr; the line saying what the per-attempt limit left out adds `notKeptBytes`).
   */
  log: Readonly<Record<string, unknown>> | null;
  /** The run was cancelled; steps not started are cancelled with it. */
  run_canceled: null;
  /** A finished run was resumed. */
  run_resumed: null;
  /** The run finished (`level` error when it failed). */
  run_finished: null;
}

/** The streams of a compute's captured output (a `log` event's `data.stream`). */
export const OUTPUT_STREAMS = ['stdout', 'stderr'] as const;

/** A stream of a compute's captured output. */
export type OutputStream = (typeof OUTPUT_STREAMS)[number];

/** The stream a `log` event was captured from; null for a ctx.log line or another kind. */
export function outputStreamOf(kind: string, data: unknown): OutputStream | null {
  if (kind !== 'log' || data === null || typeof data !== 'object') return null;
  const stream = (data as { stream?: unknown }).stream;
  return stream === 'stdout' || stream === 'stderr' ? stream : null;
}

/** The kind of an event. */
export type EventKind = keyof EventDataMap;

/** The payload of an event of kind `K` (`null` when the kind has none). */
export type EventData<K extends EventKind = EventKind> = EventDataMap[K];

/** Each kind once (checked against EventDataMap by the compiler), in the order of a run's life. */
const KINDS: { readonly [K in EventKind]: true } = {
  run_started: true,
  run_expanded: true,
  step_partition_busy: true,
  step_needs_other_code: true,
  step_submitted: true,
  step_materialized: true,
  check_evaluated: true,
  step_reused: true,
  step_fresh: true,
  step_retry_scheduled: true,
  step_failed: true,
  step_skipped: true,
  step_canceled: true,
  attempt_lost: true,
  log: true,
  run_canceled: true,
  run_resumed: true,
  run_finished: true,
};

/** Every event kind, in the order of a run's life (docs/sql.md lists them with their data). */
export const EVENT_KINDS = Object.keys(KINDS) as readonly EventKind[];
