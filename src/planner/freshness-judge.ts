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
  /** The judgement in words (written when read: most summaries never print it). */
  readonly reason: string;
}

/**
 * Judges partitions whose latest materializations happened at `materializedAt` (null for never)
 * at instant `now` (epoch ms). With a cron schedule, deadlines are found in one pass over the
 * sorted times, so partitions between the same two ticks share one schedule lookup.
 */
export function judgeFreshness(
  policy: FreshnessPolicy,
  materializedAt: readonly (Date | null)[],
  now: number,
): PartitionFreshness[] {
  const schedule = cronScheduleOf(policy);
  // Times as doubles, NaN for never: no boxed number per partition.
  const times = Float64Array.from(materializedAt, (d) => (d === null ? Number.NaN : d.getTime()));
  const deadlines = thresholdTimes(schedule, times, policy.maxLagMs);
  const warnTimes =
    policy.warnAfterMs === null ? undefined : thresholdTimes(schedule, times, policy.warnAfterMs);
  // Without cron a partition fails once it is older than maxLag (strictly); with cron, from the
  // tick on at which it is older than maxLag. NaN (none) is never reached.
  const reached = (at: number): boolean => (schedule === undefined ? now > at : now >= at);
  const judged: PartitionFreshness[] = new Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const deadline = deadlines[i]!;
    const warnAt = warnTimes === undefined ? Number.NaN : warnTimes[i]!;
    const never = materializedAt[i] === null;
    const state: FreshnessState =
      never || reached(deadline) ? 'fail' : reached(warnAt) ? 'warn' : 'pass';
    judged[i] = new JudgedFreshness(
      state,
      materializedAt[i]!,
      Number.isNaN(deadline) ? null : new Date(deadline),
      Number.isNaN(warnAt) ? null : new Date(warnAt),
      never ? null : state === 'fail' ? now - deadline : 0,
      policy,
      now,
    );
  }
  return judged;
}

/** A judgement as a plain object, its reason written out (for spreading; JSON does it alike). */
export function plainFreshness(freshness: PartitionFreshness): PartitionFreshness {
  const { state, materializedAt, deadline, warnAt, overdueByMs, overdueBy, reason } = freshness;
  return { state, materializedAt, deadline, warnAt, overdueByMs, overdueBy, reason };
}

/**
 * A judgement whose reason is written when read: summaries of many partitions mostly print
 * none, and the strings and local times cost more than judging. JSON includes it (toJSON).
 */
class JudgedFreshness implements PartitionFreshness {
  readonly overdueBy: string | null;
  readonly #policy: FreshnessPolicy;
  readonly #now: number;

  constructor(
    readonly state: FreshnessState,
    readonly materializedAt: Date | null,
    readonly deadline: Date | null,
    readonly warnAt: Date | null,
    readonly overdueByMs: number | null,
    policy: FreshnessPolicy,
    now: number,
  ) {
    this.overdueBy = state === 'fail' ? overdueWords(overdueByMs, state) : null;
    this.#policy = policy;
    this.#now = now;
  }

  get reason(): string {
    return freshnessReason(this.#policy, {
      state: this.state,
      materializedAt: this.materializedAt?.getTime() ?? null,
      deadline: this.deadline?.getTime() ?? null,
      now: this.#now,
    });
  }

  toJSON(): PartitionFreshness {
    return plainFreshness(this);
  }
}

/**
 * For each time m, the instant from which m is older than `lagMs`: m + lagMs without a schedule,
 * else the first tick after m + lagMs (NaN for NaN times, or when no tick follows).
 */
function thresholdTimes(
  schedule: CronSchedule | undefined,
  times: Float64Array,
  lagMs: number,
): Float64Array {
  const result = new Float64Array(times.length).fill(Number.NaN);
  if (schedule === undefined) {
    for (let i = 0; i < times.length; i++) result[i] = times[i]! + lagMs;
    return result;
  }
  const order: number[] = [];
  for (let i = 0; i < times.length; i++) if (!Number.isNaN(times[i]!)) order.push(i);
  order.sort((a, b) => times[a]! - times[b]!);
  // `tick` is the first tick after `from`; it is also the first tick after any t in [from, tick).
  let from = Number.NaN;
  let tick = Number.NaN;
  let noneAfter = false;
  for (const i of order) {
    const t = times[i]! + lagMs;
    const known = t >= from && (noneAfter || t < tick);
    if (!known) {
      from = t;
      const next = schedule.firstTickAfter(t);
      noneAfter = next === null;
      tick = next ?? Number.NaN;
    }
    result[i] = tick;
  }
  return result;
}
