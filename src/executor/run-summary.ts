// The end-of-run summary: one row per step with its outcome, attempts, duration and error.
import type { Kysely } from 'kysely';
import type { Database, RunStatus, StepStatus } from '../store/index.js';

/** One step in a run summary. */
export interface StepSummary {
  readonly stepId: number;
  readonly key: string;
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly status: StepStatus;
  readonly attempts: number;
  readonly durationMs: number | null;
  readonly materializationId: number | null;
  readonly error: string | null;
}

/** A finished (or cancelled) run. */
export interface RunSummary {
  readonly runId: number;
  readonly status: RunStatus;
  readonly durationMs: number | null;
  readonly steps: readonly StepSummary[];
}

/** Loads the summary of run `runId`, steps in creation order. */
export async function loadRunSummary(db: Kysely<Database>, runId: number): Promise<RunSummary> {
  const [run, steps] = await Promise.all([
    db
      .selectFrom('strata_internal.runs')
      .select(['status', 'created_at', 'finished_at'])
      .where('id', '=', runId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('strata_internal.steps')
      .select([
        'id',
        'asset_key',
        'partition_key',
        'status',
        'attempts',
        'started_at',
        'finished_at',
        'materialization_id',
        'error',
      ])
      .where('run_id', '=', runId)
      .orderBy('id')
      .execute(),
  ]);
  return {
    runId,
    status: run.status,
    durationMs: run.finished_at ? run.finished_at.getTime() - run.created_at.getTime() : null,
    steps: steps.map((s) => ({
      stepId: s.id,
      key: s.asset_key,
      partition: s.partition_key === '' ? null : s.partition_key,
      status: s.status,
      attempts: s.attempts,
      durationMs:
        s.started_at && s.finished_at ? s.finished_at.getTime() - s.started_at.getTime() : null,
      materializationId: s.materialization_id,
      error: errorMessage(s.error),
    })),
  };
}

function errorMessage(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const { message, reason } = error as { message?: unknown; reason?: unknown };
  return typeof message === 'string' ? message : typeof reason === 'string' ? reason : null;
}
