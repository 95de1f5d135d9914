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

/** `2025-03-30 06:00` in `timezone` (seconds only when not zero). */
export function localTime(ms: number, timezone: string): string {
  let format = formatters.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, format);
  }
  const part: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(new Date(ms))) part[type] = value;
  const seconds = part.second === '00' ? '' : `:${part.second}`;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}${seconds}`;
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
