// Local wall-clock times of an IANA timezone, as sortable strings `YYYY-MM-DDTHH:mm`, and the
// calendar arithmetic time-window partitions need. Calendar steps (days, weeks, months) work on
// dates alone; only hours and cron ticks need instants, converted with one Intl lookup each.

/** A local time `YYYY-MM-DDTHH:mm`; strings of one timezone sort in wall-clock order. */
export type WallTime = string;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The wall time of `ms` read from Intl (the slow path). */
function intlWallTimeOf(ms: number, timezone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const part of formatterOf(timezone).formatToParts(ms)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The UTC milliseconds a wall time would have in UTC (no timezone applied). */
function utcMsOfWall(wall: WallTime): number {
  return Date.parse(`${wall}:00Z`);
}

function intlOffsetMinutes(ms: number, timezone: string): number {
  const floored = Math.floor(ms / 60_000) * 60_000;
  return (utcMsOfWall(intlWallTimeOf(floored, timezone)) - floored) / 60_000;
}

const DAY_MS = 86_400_000;
/** Per timezone and UTC day: the offset all day, or null on a day the offset changes. */
const dayOffsets = new Map<string, Map<number, number | null>>();

/**
 * The UTC offset of `timezone` at instant `ms`, in minutes (Berlin in summer: 120): two Intl
 * lookups per UTC day (its first and last minute), one per instant only on a day it changes.
 */
export function offsetMinutesAt(ms: number, timezone: string): number {
  if (timezone === 'UTC') return 0;
  let days = dayOffsets.get(timezone);
  if (days === undefined) dayOffsets.set(timezone, (days = new Map()));
  const day = Math.floor(ms / DAY_MS);
  let offset = days.get(day);
  if (offset === undefined) {
    const first = intlOffsetMinutes(day * DAY_MS, timezone);
    offset = first === intlOffsetMinutes((day + 1) * DAY_MS - 60_000, timezone) ? first : null;
    days.set(day, offset);
  }
  return offset ?? intlOffsetMinutes(ms, timezone);
}

/** The wall time of instant `ms` in `timezone`. */
export function wallTimeOf(ms: number, timezone: string): WallTime {
  return new Date(ms + offsetMinutesAt(ms, timezone) * 60_000).toISOString().slice(0, 16);
}

/**
 * The first instant whose wall time is `wall`; in a gap (the hour skipped when clocks go
 * forward) the instant the gap ends, where the wall time is later than asked.
 */
export function instantOfWall(wall: WallTime, timezone: string): number {
  const asUtc = utcMsOfWall(wall);
  const before = offsetMinutesAt(asUtc - 86_400_000, timezone);
  const after = offsetMinutesAt(asUtc + 86_400_000, timezone);
  const candidates = [asUtc - before * 60_000, asUtc - after * 60_000].filter(
    (ms) => wallTimeOf(ms, timezone) === wall,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return asUtc - before * 60_000; // in the gap: the earlier offset lands where the gap ends
}

/** Formats an offset in minutes as `+HH:MM`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A date `YYYY-MM-DD` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A month `YYYY-MM` moved by `months`. */
export function addMonths(month: string, months: number): string {
  const [year, index] = [Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + months];
  const date = new Date(Date.UTC(year, index, 1));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}`;
}

/** The Monday on or before date `YYYY-MM-DD` (ISO weeks). */
export function mondayOf(date: string): string {
  const weekday = new Date(Date.parse(`${date}T00:00Z`)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}
