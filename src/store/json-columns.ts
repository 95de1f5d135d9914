// The shapes of the JSON the engine stores in jsonb columns (runs.options, steps.reasons, the
// error columns): declared once here so the Kysely row types read them back typed, without casts.
import type { Fault } from '../errors.js';

/** Options recorded with a run; workers read them back (e.g. concurrency for job batching). */
export interface RunOptions {
  readonly concurrency: number;
  readonly force: boolean;
  readonly partitions: readonly string[];
}

/** Why a step is in its run (steps.reasons): the planned status, or `expanded` at run time. */
export interface StepReasons {
  readonly status: 'missing' | 'stale' | 'fresh' | 'expanded';
  /** Planned although fresh, because the run was forced. */
  readonly forced: boolean;
  /** The planner's causes of staleness (docs/semantics.md); empty for missing or expanded. */
  readonly causes: readonly { readonly category: string; readonly reason: string }[];
}

/** An error as stored in attempts.error and steps.error. */
export interface StoredError {
  readonly name: string;
  readonly message: string;
  readonly hint?: string;
  readonly stack?: string;
  /** Who was at fault (src/errors.ts); absent in rows written before it was recorded. */
  readonly fault?: Fault;
}

/** Why a step ended without an attempt of its own (skipped or cancelled): steps.error. */
export interface StepEndReason {
  readonly reason: string;
}
