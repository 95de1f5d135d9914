// Freshness in words for the pages: a policy as a sentence, how late or how long until due, and
// when the next change of state is expected (a page refetches then: freshness moves with the
// clock, not with runs). Durations read like the server's ("2h 5m", "6h").
import type {
  AssetFreshness,
  FreshnessPolicy,
  FreshnessState,
  PartitionFreshness,
} from './api/types.js';

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** The soonest a page looks again for a change of freshness state, and the latest. */
const MIN_CHECK_MS = 2_000;
const MAX_CHECK_MS = 3_600_000;
/** How often a page looks again at a change the API gives no instant for. */
const SLOW_CHECK_MS = 60_000;

/** A duration as declared: the largest unit that divides it ("90m", "6h", "500ms"). */
export function declaredDuration(ms: number): string {
  for (const [unit, size] of UNITS) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** A duration to two units: "0s", "45s", "12m 5s", "2h 5m", "3d 4h". */
export function durationInWords(ms: number): string {
  const rounded = Math.max(0, Math.round(ms));
  if (rounded < 1_000) return rounded === 0 ? '0s' : `${rounded}ms`;
  for (let i = 0; i < UNITS.length; i++) {
    const [unit, size] = UNITS[i]!;
    if (rounded < size) continue;
    const whole = Math.floor(rounded / size);
    const next = UNITS[i + 1];
    if (next === undefined) return `${whole}${unit}`;
    const rest = Math.floor((rounded % size) / next[1]);
    return rest === 0 ? `${whole}${unit}` : `${whole}${unit} ${rest}${next[0]}`;
  }
  return `${rounded}ms`;
}

/** "never more than 6h behind; warns after 4h", or with cron "by each tick of …". */
export function policyInWords(policy: FreshnessPolicy): string {
  const warn =
    policy.warnAfterMs === null ? '' : `; warns after ${declaredDuration(policy.warnAfterMs)}`;
  if (policy.cron === null)
    return `never more than ${declaredDuration(policy.maxLagMs)} behind${warn}`;
  return (
    `at each tick of ${policy.cron} (${policy.timezone ?? 'UTC'}), materialized within the ` +
    `${declaredDuration(policy.maxLagMs)} before${warn}`
  );
}

/**
 * How the state stands now: "overdue by 2h 5m", "never materialized", "due in 40m" (the deadline
 * ahead), counted from `now` so a page can keep it moving between fetches.
 */
export function lateness(
  freshness: Pick<PartitionFreshness, 'state' | 'deadline' | 'overdueBy'>,
  now: number = Date.now(),
): string {
  const { state, deadline } = freshness;
  if (deadline === null) return freshness.overdueBy ?? 'never materialized';
  const left = Date.parse(deadline) - now;
  if (state === 'fail') return `overdue by ${durationInWords(Math.max(0, -left))}`;
  return left > 0 ? `due in ${durationInWords(left)}` : 'due now';
}

/** "3 pass, 1 warn, 2 fail (1 never materialized)" for a partitioned asset. */
export function countsInWords(counts: AssetFreshness['counts']): string {
  const never =
    counts.neverMaterialized > 0 ? ` (${counts.neverMaterialized} never materialized)` : '';
  return `${counts.pass} pass, ${counts.warn} warn, ${counts.fail} fail${never}`;
}

/**
 * Milliseconds until the earliest of `times` (instants when a state changes; null: a change
 * the API gives no instant for, looked at every minute), within [2 s, 1 h]; undefined when
 * there is nothing to watch.
 */
export function nextCheckIn(
  times: Iterable<string | null>,
  now: number = Date.now(),
): number | undefined {
  let delay = Infinity;
  for (const time of times) {
    // A little after the instant, so the server judges it passed; an instant long past that
    // still made no change (clocks apart) is looked at at the slow pace.
    const wait = time === null ? SLOW_CHECK_MS : Date.parse(time) - now + 250;
    delay = Math.min(delay, wait < -SLOW_CHECK_MS ? SLOW_CHECK_MS : wait);
  }
  return delay === Infinity ? undefined : Math.min(MAX_CHECK_MS, Math.max(MIN_CHECK_MS, delay));
}

/**
 * The instants at which a freshness judgement changes next: its deadline and, while it passes,
 * its warning (an asset's is worked out from its policy; with cron it has no instant the UI
 * can tell, so null). A failing one stays failing until materialized, which comes with run
 * progress; only the counts of a partitioned asset's other partitions move (null).
 */
export function changeTimes(
  freshness: AssetFreshness | PartitionFreshness | null,
): (string | null)[] {
  if (freshness === null) return [];
  const counts = 'counts' in freshness ? freshness.counts : undefined;
  if (freshness.state === 'fail')
    return counts !== undefined && counts.pass + counts.warn > 0 ? [null] : [];
  const times: (string | null)[] = [];
  if (freshness.deadline !== null) times.push(freshness.deadline);
  if (freshness.state !== 'pass') return times;
  if ('warnAt' in freshness) {
    if (freshness.warnAt !== null) times.push(freshness.warnAt);
  } else if (freshness.policy.warnAfterMs !== null && freshness.deadline !== null) {
    const { maxLagMs, warnAfterMs, cron } = freshness.policy;
    const warnAt = Date.parse(freshness.deadline) - maxLagMs + warnAfterMs;
    times.push(cron === null ? new Date(warnAt).toISOString() : null);
  }
  return times;
}

/** Freshness states, best first. */
export const FRESHNESS_STATES: readonly FreshnessState[] = ['pass', 'warn', 'fail'];
