// Freshness judgements in words: what `strata status`, `strata why` and the API print as the
// reason of a pass, warn or fail.
import type { FreshnessPolicy } from '../definitions/index.js';
import { declaredDuration, durationInWords } from '../util/duration-text.js';

/** The numbers a reason is written from (epoch milliseconds). */
export interface JudgedTimes {
  readonly state: 'pass' | 'warn' | 'fail';
  readonly materializedAt: number | null;
  readonly deadline: number | null;
  readonly now: number;
}

/** Formatters by timezone: building one costs more than formatting many dates. */
const formatters = new Map<string, Intl.DateTimeFormat>();
/** UTC offsets by timezone and hour, so most dates are formatted without Intl. */
const hourOffsets = new Map<string, Map<number, number | null>>();

/** Milliseconds between local time in `timezone` and UTC at `ms` (whole seconds), from Intl. */
function offsetAt(ms: number, timezone: string): number {
  let format = formatters.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timezone, format);
  }
  const part: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(new Date(ms))) part[type] = Number(value);
  const local = Date.UTC(
    part.year!,
    part.month! - 1,
    part.day!,
    part.hour!,
    part.minute!,
    part.second!,
  );
  return local - Math.floor(ms / 1000) * 1000;
}

/**
 * The offset of `timezone` at `ms`: one Intl lookup per hour (at both ends), and exact lookups
 * only in an hour where the offset changes.
 */
function offsetOf(ms: number, timezone: string): number {
  let byHour = hourOffsets.get(timezone);
  if (byHour === undefined) hourOffsets.set(timezone, (byHour = new Map()));
  const hour = Math.floor(ms / HOUR_MS);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    const start = offsetAt(hour * HOUR_MS, timezone);
    offset = start === offsetAt((hour + 1) * HOUR_MS - 1000, timezone) ? start : null;
    if (byHour.size >= OFFSET_CACHE_HOURS) byHour.clear();
    byHour.set(hour, offset);
  }
  return offset ?? offsetAt(ms, timezone);
}

const HOUR_MS = 3_600_000;
/** Hours of offsets kept per timezone: a year of hours is about 9,000 entries. */
const OFFSET_CACHE_HOURS = 10_000;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `2025-03-30 06:00` in `timezone` (seconds only when not zero). */
export function localTime(ms: number, timezone: string): string {
  const local = new Date(ms + offsetOf(ms, timezone));
  const seconds = local.getUTCSeconds();
  return (
    `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())} ` +
    `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}${seconds === 0 ? '' : `:${two(seconds)}`}`
  );
}

/** "overdue by 12m" for a failing partition, "never materialized", or "" when not failing. */
export function overdueWords(overdueByMs: number | null, state: JudgedTimes['state']): string {
  if (state !== 'fail') return '';
  return overdueByMs === null ? 'never materialized' : `overdue by ${durationInWords(overdueByMs)}`;
}

/** The reason of one judgement. */
export function freshnessReason(policy: FreshnessPolicy, judged: JudgedTimes): string {
  const { state, materializedAt, deadline, now } = judged;
  if (materializedAt === null) return 'never materialized';
  const maxLag = declaredDuration(policy.maxLagMs);
  const warnAfter = policy.warnAfterMs === null ? '' : declaredDuration(policy.warnAfterMs);
  if (policy.cron === null) {
    const age = `materialized ${durationInWords(now - materializedAt)} ago`;
    const until = deadline === null ? '' : `deadline in ${durationInWords(deadline - now)}`;
    if (state === 'fail')
      return `overdue by ${durationInWords(now - deadline!)}: ${age}, more than maxLag ${maxLag}`;
    if (state === 'warn')
      return `${age}, more than warnAfter ${warnAfter}; ${until} (maxLag ${maxLag})`;
    return `${age}, ${until} (maxLag ${maxLag})`;
  }
  const zone = policy.timezone ?? 'UTC';
  const at = (ms: number) => localTime(ms, zone);
  if (state === 'fail') {
    return (
      `overdue by ${durationInWords(now - deadline!)}: the deadline ${at(deadline!)} needed a ` +
      `materialization from ${at(deadline! - policy.maxLagMs)} on (maxLag ${maxLag}), the latest ` +
      `is from ${at(materializedAt)} (${zone})`
    );
  }
  const next =
    deadline === null
      ? 'no deadline ahead'
      : `next deadline ${at(deadline)}, in ${durationInWords(deadline - now)}`;
  if (state === 'warn') {
    return (
      `materialized ${at(materializedAt)}, more than warnAfter ${warnAfter} before the last ` +
      `deadline; ${next} (${zone})`
    );
  }
  return `materialized ${at(materializedAt)}, ${next} (${zone})`;
}
