// Cron schedules of freshness policies, on croner (the one module that imports it). Ticks are
// found in the schedule's IANA timezone, so "06:00 Europe/Berlin" stays 06:00 local time across
// daylight-saving changes.
import { Cron } from 'croner';

/** The ticks of a cron expression in a timezone, as epoch milliseconds. */
export interface CronSchedule {
  readonly expression: string;
  readonly timezone: string;
  /** The latest tick at or before `ms`, or null when there is none. */
  latestTickAtOrBefore(ms: number): number | null;
  /** The first tick strictly after `ms`, or null when there is none. */
  firstTickAfter(ms: number): number | null;
}

/**
 * Compiles a 5-field (minute hour day month weekday) or 6-field (seconds first) expression;
 * throws croner's own error when the expression cannot be read.
 */
export function compileCronSchedule(expression: string, timezone: string): CronSchedule {
  // Without a function croner schedules nothing: the instance only computes ticks.
  const cron = new Cron(expression, { timezone, mode: '5-or-6-parts' });
  return {
    expression,
    timezone,
    latestTickAtOrBefore(ms) {
      // previousRuns excludes a tick exactly at the reference but includes one earlier in the
      // same second, so 1 ms later makes "at or before" exact (ticks are whole seconds).
      return cron.previousRuns(1, new Date(ms + 1))[0]?.getTime() ?? null;
    },
    firstTickAfter(ms) {
      return cron.nextRun(new Date(ms))?.getTime() ?? null;
    },
  };
}

/** The canonical name of an IANA timezone ("europe/berlin" -> "Europe/Berlin"), or undefined. */
export function canonicalTimezone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
