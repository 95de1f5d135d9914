// Cancelling and resuming runs. Cancel stops everything not yet running and lets running
// attempts abort; resume gives failed, skipped and cancelled steps a new chance in the same run.
import { sql, type Kysely } from 'kysely';
import { NotFoundError, UsageError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import { appendEvents } from '../provenance/index.js';
import {
  DONE_STEP_STATUSES,
  fromStatesOf,
  NON_TERMINAL_STEP_STATUSES,
  PENDING_STEP_STATUSES,
  READY_STEP_STATUSES,
  targetOf,
  type Database,
  type StepStatus,
} from '../store/index.js';
import { RUN_CHANNEL } from './constants.js';
import type { RunOptions } from './create-run.js';
import { enqueueReadySteps } from './job-queue.js';
import { settleRun } from './step-transitions.js';

/** The steps a resume restarts (failed, skipped, cancelled) and the status they restart in. */
const RESTART_FROM = fromStatesOf('resume', 'waiting');
const RESTART_TO = targetOf('resume', 'failed');
/** A restarted or waiting step with nothing left to wait for becomes ready. */
const READY_FROM = fromStatesOf('resume', 'queued');
const READY_TO = targetOf('resume', 'waiting');

/** Cancels run `runId`; returns false if it had already finished. */
export async function cancelRun(
  db: Kysely<Database>,
  runId: number,
  reason: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('strata_internal.runs')
      .select(['status'])
      .where('id', '=', runId)
      .forUpdate()
      .executeTakeFirst();
    if (!run) throw new NotFoundError(`run ${runId} does not exist`);
    if (run.status !== 'running') return false;
    const canceled = await trx
      .updateTable('strata_internal.steps')
      .set({
        status: targetOf('cancel'),
        finished_at: sql<Date>`now()`,
        error: JSON.stringify({ reason }),
      })
      .where('run_id', '=', runId)
      .where('status', 'in', fromStatesOf('cancel'))
      .returning('id')
      .execute();
    await trx
      .updateTable('strata_internal.runs')
      .set({
        status: 'canceled',
        finished_at: sql<Date>`now()`,
        pending_steps: sql<number>`pending_steps - ${canceled.length}`,
      })
      .where('id', '=', runId)
      .execute();
    await appendEvents(trx, [
      {
        runId,
        kind: 'run_canceled',
        level: 'warn',
        message: `run ${runId} cancelled: ${reason}; ${canceled.length} steps not started`,
      },
    ]);
    await sql`select pg_notify(${RUN_CHANNEL}, ${String(runId)})`.execute(trx);
    return true;
  });
}

/** The options a run was created with. */
export async function loadRunOptions(db: Kysely<Database>, runId: number): Promise<RunOptions> {
  const run = await db
    .selectFrom('strata_internal.runs')
    .select(['options'])
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!run)
    throw new NotFoundError(`run ${runId} does not exist`, {
      hint: 'list runs with: select * from strata.runs order by run_id desc',
    });
  return run.options;
}

/**
 * Resumes run `runId`: failed, skipped and cancelled steps wait again (with a fresh retry
 * budget), ready steps are enqueued, and steps still queued are enqueued again (duplicate jobs
 * are harmless: claiming a step is idempotent). Returns the number of steps left to run.
 */
export async function resumeRun(
  db: Kysely<Database>,
  graph: AssetGraph,
  runId: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('strata_internal.runs')
      .select(['status', 'options'])
      .where('id', '=', runId)
      .forUpdate()
      .executeTakeFirst();
    if (!run) throw new NotFoundError(`run ${runId} does not exist`);
    if (run.status === 'succeeded')
      throw new UsageError(`run ${runId} already succeeded; there is nothing to resume`, {
        hint: 'start a new run with strata materialize',
      });
    const steps = await trx
      .selectFrom('strata_internal.steps')
      .select(['id', 'asset_key', 'status', 'attempts', 'code_version'])
      .where('run_id', '=', runId)
      .execute();
    for (const step of steps) {
      if (DONE_STEP_STATUSES.includes(step.status)) continue;
      if (!graph.has(step.asset_key)) {
        throw new UsageError(
          `run ${runId} has a step for asset ${step.asset_key}, which the current definitions do not declare`,
          { hint: 'resume with the definitions the run was planned with, or start a new run' },
        );
      }
      const current = graph.node(step.asset_key).definition.codeVersion;
      if (current !== step.code_version) {
        throw new UsageError(
          `run ${runId} was planned with code version ${step.code_version} of ${step.asset_key}; the current definitions have ${current}`,
          {
            hint: 'resume with the code the run was planned with, or start a new run to build the new code',
          },
        );
      }
    }
    const restart = steps.filter((s) => RESTART_FROM.includes(s.status));
    if (restart.length > 0) {
      await sql`
        update strata_internal.steps s
        set status = ${RESTART_TO}, error = null, finished_at = null, max_attempts = s.attempts + r.budget
        from unnest(${restart.map((s) => s.id)}::bigint[], ${restart.map((s) => graph.node(s.asset_key).definition.retry.maxAttempts)}::int[]) as r(id, budget)
        where s.id = r.id and s.status = any(${RESTART_FROM}::text[])`.execute(trx);
    }
    const counted = await sql<{
      id: number;
      asset_key: string;
      status: StepStatus;
      waiting_for: number;
    }>`
      update strata_internal.steps s
      set deps_remaining = c.waiting_for,
          status = case when s.status = any(${READY_FROM}::text[]) and c.waiting_for = 0 then ${READY_TO} else s.status end
      from (
        select d.id, count(u.id) filter (where u.status <> all(${[...DONE_STEP_STATUSES]}::text[]))::int as waiting_for
        from strata_internal.steps d
        left join strata_internal.step_edges e on e.downstream_step_id = d.id
        left join strata_internal.steps u on u.id = e.upstream_step_id
        where d.run_id = ${runId} and d.status = any(${PENDING_STEP_STATUSES}::text[])
        group by d.id
      ) c
      where s.id = c.id
      returning s.id, s.asset_key, s.status, c.waiting_for`.execute(trx);
    const pending = await trx
      .selectFrom('strata_internal.steps')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', runId)
      .where('status', 'in', NON_TERMINAL_STEP_STATUSES)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('strata_internal.runs')
      .set({ status: 'running', finished_at: null, pending_steps: Number(pending.n) })
      .where('id', '=', runId)
      .execute();
    const ready = counted.rows.filter((row) => READY_STEP_STATUSES.includes(row.status));
    await enqueueReadySteps(
      trx,
      runId,
      ready.map((row) => ({ id: row.id, assetKey: row.asset_key })),
      run.options.concurrency,
    );
    await appendEvents(trx, [
      {
        runId,
        kind: 'run_resumed',
        message: `run ${runId} resumed: ${Number(pending.n)} steps to finish, ${restart.length} restarted`,
      },
    ]);
    if (Number(pending.n) === 0) await settleRun(trx, runId, 0);
    return Number(pending.n);
  });
}
