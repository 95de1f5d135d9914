// The time before which an unreferenced artifact may be garbage: older than the grace period
// (--min-age), and stored before the oldest attempt still running and the oldest run still in
// progress were started, because a running step may have put an artifact it has not recorded
// yet, and a run in progress may retry a step whose tool calls replay what they stored before.
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** What is running now, as far as the garbage collector must care. */
export interface RunningWork {
  /** Runs in progress. */
  readonly runs: number;
  /** Attempts running. */
  readonly attempts: number;
  /** When the oldest of those runs was created, or the oldest attempt started (the earlier). */
  readonly oldestStart: Date | undefined;
}

/** The cutoff of a collection and why. */
export interface GcCutoff {
  /** Artifacts stored at or after this time are kept. */
  readonly storedBefore: Date;
  readonly running: RunningWork;
}

/** The runs and attempts in progress. */
export async function runningWork(db: Kysely<Database>): Promise<RunningWork> {
  const [runs, attempts] = await Promise.all([
    db
      .selectFrom('strata_internal.runs')
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'running')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('strata_internal.attempts')
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('started_at').as('oldest')])
      .where('status', '=', 'running')
      .executeTakeFirstOrThrow(),
  ]);
  const starts = [runs.oldest, attempts.oldest]
    .filter((start): start is Date => start !== null)
    .map((start) => new Date(start).getTime());
  return {
    runs: Number(runs.count),
    attempts: Number(attempts.count),
    oldestStart: starts.length === 0 ? undefined : new Date(Math.min(...starts)),
  };
}

/** The cutoff for `now` and a grace period of `minAgeMs`. */
export async function gcCutoff(
  db: Kysely<Database>,
  now: Date,
  minAgeMs: number,
): Promise<GcCutoff> {
  const running = await runningWork(db);
  const graceStart = now.getTime() - minAgeMs;
  const runningStart = running.oldestStart?.getTime() ?? Number.POSITIVE_INFINITY;
  return { storedBefore: new Date(Math.min(graceStart, runningStart)), running };
}
