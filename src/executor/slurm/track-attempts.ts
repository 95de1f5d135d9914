// The trackers: every worker runs one, and per interval one of them (a transaction-scoped
// advisory lock) polls the jobs of all Slurm attempts not yet seen ending, in one poll. It
// records each job's state and accounting on its attempt; fails the attempt of a job that failed
// (NODE_FAIL, TIMEOUT, OUT_OF_MEMORY, CANCELLED, ...: the message names Slurm's state and
// reason; the asset's retry policy applies); fails the attempt of a job that COMPLETED without
// the step recording its outcome (an exit code alone is never trusted); and cancels (scancel)
// the jobs of attempts that ended without them (their run was cancelled, or they were taken over).
import { sql, type Kysely } from 'kysely';
import { StrataError, type Fault } from '../../errors.js';
import type { Database } from '../../store/index.js';
import { endFailedAttempt } from '../attempt-failure.js';
import { ComputeInterruptedError } from '../run-compute.js';
import type { WorkerRuntime } from '../worker-runtime.js';
import { loadAttemptClaim } from './attempt-claim.js';
import { removeEnvFile } from './env-file.js';
import { describeSlurmFailure, type SlurmJobStatus } from './job-status.js';
import type { SlurmSettings } from './settings.js';

/** The advisory lock key of the trackers ("slurm" in ASCII): one polls per interval. */
const TRACKER_LOCK = 0x736c75726d;

/** Slurm states that are the machine's fault rather than the asset's. */
const ENVIRONMENT_STATES = new Set(['NODE_FAIL', 'BOOT_FAIL', 'UNKNOWN', 'REVOKED']);

/** The failure of an attempt whose Slurm job failed, or ended without recording the step. */
export class SlurmJobFailedError extends StrataError {
  readonly fault: Fault;
  constructor(
    message: string,
    readonly slurmState: string,
  ) {
    super(message, { retryable: true });
    this.fault = ENVIRONMENT_STATES.has(slurmState) ? 'environment' : 'user_code';
  }
}

/** What one tracking pass did: for logs and tests. */
export interface TrackSummary {
  /** False when another worker's tracker held the lock (it polls this interval). */
  readonly polled: boolean;
  readonly jobs: number;
  readonly failed: number;
  readonly cancelled: number;
}

function exitText(status: SlurmJobStatus): string | null {
  return status.exitCode === undefined ? null : `${status.exitCode.code}:${status.exitCode.signal}`;
}

/** Records what the poll said of every tracked job on its attempt, in one statement. */
async function recordJobStates(
  db: Kysely<Database>,
  tracked: readonly { id: number; slurm_job_id: string | null }[],
  statuses: ReadonlyMap<string, SlurmJobStatus>,
): Promise<void> {
  const rows = tracked.map((attempt) => ({
    id: attempt.id,
    status: statuses.get(attempt.slurm_job_id!)!,
  }));
  const column = <T>(pick: (status: SlurmJobStatus) => T): T[] =>
    rows.map((row) => pick(row.status));
  await sql`
    update strata_internal.attempts a set
      slurm_state = j.state, slurm_reason = j.reason, slurm_nodes = j.nodes,
      slurm_partition = j.partition, slurm_exit_code = j.exit_code,
      slurm_elapsed_s = j.elapsed_s, slurm_cpu_s = j.cpu_s, slurm_max_rss_bytes = j.max_rss,
      slurm_ended_at = case when j.ended then now() else a.slurm_ended_at end
    from unnest(
      ${rows.map((row) => row.id)}::bigint[], ${column((s) => s.state)}::text[],
      ${column((s) => s.reason ?? null)}::text[], ${column((s) => s.nodes ?? null)}::text[],
      ${column((s) => s.partition ?? null)}::text[], ${column(exitText)}::text[],
      ${column((s) => s.elapsedSeconds ?? null)}::float8[], ${column((s) => s.cpuSeconds ?? null)}::float8[],
      ${column((s) => s.maxRssBytes ?? null)}::bigint[], ${column((s) => s.outcome !== 'waiting')}::boolean[]
    ) as j(id, state, reason, nodes, partition, exit_code, elapsed_s, cpu_s, max_rss, ended)
    where a.id = j.id`.execute(db);
}

/** One tracking pass; at most one worker polls at a time, the others return at once. */
export async function trackSlurmAttempts(
  runtime: WorkerRuntime,
  settings: SlurmSettings,
): Promise<TrackSummary> {
  return runtime.db.transaction().execute(async (trx) => {
    const locked = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_xact_lock(${TRACKER_LOCK}) as locked`.execute(trx);
    if (!locked.rows[0]!.locked) return { polled: false, jobs: 0, failed: 0, cancelled: 0 };
    const tracked = await trx
      .selectFrom('strata_internal.attempts as a')
      .innerJoin('strata_internal.runs as r', 'r.id', 'a.run_id')
      .select(['a.id', 'a.slurm_job_id', 'a.status', 'r.status as run_status'])
      .where('a.slurm_job_id', 'is not', null)
      .where('a.slurm_ended_at', 'is', null)
      .execute();
    if (tracked.length === 0) return { polled: true, jobs: 0, failed: 0, cancelled: 0 };
    const statuses = await settings.client.poll(tracked.map((row) => row.slurm_job_id!));
    // Committed at once, outside the tracker's transaction: endFailedAttempt below updates the
    // same attempts from another connection, which row locks held here would block.
    await recordJobStates(runtime.db, tracked, statuses);
    const toCancel: string[] = [];
    let failed = 0;
    for (const attempt of tracked) {
      const status = statuses.get(attempt.slurm_job_id!)!;
      const ended = status.outcome !== 'waiting';
      const canceled = attempt.run_status === 'canceled';
      if (!ended) {
        // A job whose attempt was handed back or cancelled, or whose run was cancelled, is
        // cancelled; one whose attempt just recorded its outcome is finishing on its own.
        if (
          (attempt.status === 'running' && canceled) ||
          attempt.status === 'lost' ||
          attempt.status === 'canceled'
        )
          toCancel.push(attempt.slurm_job_id!);
        continue;
      }
      await removeEnvFile(settings.jobDir, attempt.id);
      if (attempt.status !== 'running') continue;
      // The job's own completion commits before the job exits: an attempt still running now
      // recorded nothing, whatever the exit code says.
      const claim = await loadAttemptClaim(runtime.db, attempt.id);
      if (claim === undefined) continue;
      const message =
        status.outcome === 'failed'
          ? describeSlurmFailure(status)
          : `${describeSlurmFailure(status)}, but the step recorded no outcome (see the job's output in ${settings.jobDir}/output)`;
      // The attempt of a cancelled run ends cancelled, as the in-process path's does.
      const error = canceled
        ? new ComputeInterruptedError('canceled', `${message}; its run was cancelled`)
        : new SlurmJobFailedError(message, status.state);
      if (await endFailedAttempt(runtime, claim, error, runtime.outage.outages)) failed++;
    }
    if (toCancel.length > 0) await settings.client.cancel(toCancel);
    return { polled: true, jobs: tracked.length, failed, cancelled: toCancel.length };
  });
}
