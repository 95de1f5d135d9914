// Judges latest materializations against a freshness policy at one instant: pass, warn or fail,
// the deadline and how late. Pure; the rules are docs/semantics.md, "Freshness".
import { cronScheduleOf, type CronSchedule, type FreshnessPolicy } from '../definitions/index.js';
import { freshnessReason, overdueWords } from './freshness-words.js';

/** The freshness of one asset partition against its asset's policy. */
export type FreshnessState = 'pass' | 'warn' | 'fail';

/** How far each state is from passing: the order of "worst". */
export const FRESHNESS_STATE_ORDER: readonly FreshnessState[] = ['pass', 'warn', 'fail'];

/** One asset partition judged against its asset's policy. */
export interface PartitionFreshness {
  readonly state: FreshnessState;
  /** The latest materialization judged; null: never materialized. */
  readonly materializedAt: Date | null;
  /**
   * When it fails unless materialized again; for a failing partition, the deadline it missed.
   * Null when never materialized (or a schedule with no tick ahead).
   */
  readonly deadline: Date | null;
  /** When it starts (or started) to warn; null without warnAfter or when never materialized. */
  readonly warnAt: Date | null;
  /** How long past its deadline: 0 unless failing; null when never materialized. */
  readonly overdueByMs: number | null;
  /** The same in words ("overdue by 2h 5m", "never materialized"); null unless failing. */
  readonly overdueBy: string | null;
  /** The judgement in words. */
  readonly reason: string;
}

/**
 * Judges partitions whose latest materializations happened at `materializedAt` (epoch ms, null
 * for never) at instant `now`. With a cron schedule, deadlines are found in one pass over the
 * sorted times, so partitions between the same two ticks share one schedule lookup.
 */
export function judgeFreshness(
  policy: FreshnessPolicy,
  materializedAt: readonly (number | null)[],
  now: number,
): PartitionFreshness[] {
  const schedule = cronScheduleOf(policy);
  const { maxLagMs, warnAfterMs } = policy;
  const deadlines = thresholdTimes(schedule, materializedAt, maxLagMs);
  const warnTimes =
    warnAfterMs === null ? undefined : thresholdTimes(schedule, materializedAt, warnAfterMs);
  // Without cron a partition fails once it is older than maxLag (strictly); with cron, from the
  // tick on at which it is older than maxLag.
  const reached = (at: number | null): boolean =>
    at !== null && (schedule === undefined ? now > at : now >= at);
  return materializedAt.map((m, i) => {
    const deadline = deadlines[i]!;
    const warnAt = warnTimes?.[i] ?? null;
    const state: FreshnessState =
      m === null || reached(deadline) ? 'fail' : reached(warnAt) ? 'warn' : 'pass';
    const overdueByMs = m === null ? null : state === 'fail' ? now - deadline! : 0;
    return {
      state,
      materializedAt: m === null ? null : new Date(m),
      deadline: deadline === null ? null : new Date(deadline),
      warnAt: warnAt === null ? null : new Date(warnAt),
      overdueByMs,
      overdueBy: overdueWords(overdueByMs, state) || null,
      reason: freshnessReason(policy, { state, materializedAt: m, deadline, now }),
    };
  });
}

/**
 * For each time m, the instant from which m is older than `lagMs`: m + lagMs without a schedule,
 * else the first tick after m + lagMs. Null for null times.
 */
function thresholdTimes(
  schedule: CronSchedule | undefined,
  times: readonly (number | null)[],
  lagMs: number,
): (number | null)[] {
  if (schedule === undefined) return times.map((m) => (m === null ? null : m + lagMs));
  const result: (number | null)[] = times.map(() => null);
  const order = times
    .map((m, i) => i)
    .filter((i) => times[i] !== null)
    .sort((a, b) => times[a]! - times[b]!);
  // `tick` is the first tick after `from`; it is also the first tick after any t in [from, tick).
  let from = Number.NaN;
  let tick: number | null = null;
  for (const i of order) {
    const t = times[i]! + lagMs;
    const known = t >= from && (tick === null || t < tick);
    if (!known) {
      from = t;
      tick = schedule.firstTickAfter(t);
    }
    result[i] = tick;
  }
  return result;
}
