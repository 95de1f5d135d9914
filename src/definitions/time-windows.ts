// The windows of a time-window set: which exist at an instant, the window of a key, the windows
// starting inside a range of local time, and the one containing a local time. Days, weeks and
// months step through dates (a day is whatever lies between two local midnights: 23 h on a
// spring-forward date); hours and cron ticks step through instants, so a skipped hour has no
// window and a repeated one has two.
import type { PartitionKey } from './asset-key.js';
import { compileCronSchedule, type CronSchedule } from './cron-schedule.js';
import type { TimeWindowPartitions } from './time-window-partitions.js';
import {
  addDays,
  addMonths,
  formatOffset,
  instantOfWall,
  mondayOf,
  offsetMinutesAt,
  wallTimeOf,
  type WallTime,
} from './wall-clock.js';

/** One window: its key and local start and end (end exclusive). */
export interface TimeWindow {
  readonly key: PartitionKey;
  readonly start: WallTime;
  readonly end: WallTime;
  /** The end instant (epoch ms) of hourly and cron windows; calendar windows compare walls. */
  readonly endMs?: number;
}

const HOUR_MS = 3_600_000;
const schedules = new WeakMap<TimeWindowPartitions, CronSchedule>();

function scheduleOf(set: TimeWindowPartitions): CronSchedule {
  let schedule = schedules.get(set);
  if (schedule === undefined) {
    schedule = compileCronSchedule(set.cron!, set.timezone);
    schedules.set(set, schedule);
  }
  return schedule;
}

/** Whether the wall time of `ms` occurs twice (the hour repeated when clocks go back). */
function isRepeatedWall(ms: number, timezone: string): boolean {
  const before = offsetMinutesAt(ms - 86_400_000, timezone);
  const after = offsetMinutesAt(ms + 86_400_000, timezone);
  if (before === after) return false;
  const shift = Math.abs(before - after) * 60_000;
  const wall = wallTimeOf(ms, timezone);
  return wallTimeOf(ms - shift, timezone) === wall || wallTimeOf(ms + shift, timezone) === wall;
}

/** The key of a window starting at instant `ms`: its wall time, with the offset if repeated. */
function instantKey(ms: number, timezone: string): PartitionKey {
  const wall = wallTimeOf(ms, timezone);
  return isRepeatedWall(ms, timezone)
    ? `${wall}${formatOffset(offsetMinutesAt(ms, timezone))}`
    : wall;
}

/** The calendar window starting at `start` (a day, week or month boundary). */
function calendarWindow(set: TimeWindowPartitions, start: WallTime): TimeWindow {
  const date = start.slice(0, 10);
  switch (set.granularity) {
    case 'daily':
      return { key: date, start, end: `${addDays(date, 1)}T00:00` };
    case 'weekly':
      return { key: date, start, end: `${addDays(date, 7)}T00:00` };
    default:
      return { key: date.slice(0, 7), start, end: `${addMonths(date.slice(0, 7), 1)}-01T00:00` };
  }
}

/** The window starting at instant `ms` of an hourly or cron set (null: the schedule ends). */
function instantWindow(set: TimeWindowPartitions, ms: number): TimeWindow | null {
  const endMs = set.granularity === 'hourly' ? ms + HOUR_MS : scheduleOf(set).firstTickAfter(ms);
  if (endMs === null) return null;
  const { timezone } = set;
  return {
    key: instantKey(ms, timezone),
    start: wallTimeOf(ms, timezone),
    end: wallTimeOf(endMs, timezone),
    endMs,
  };
}

/** The calendar start containing local time `wall` (the day, its Monday, its month). */
function calendarStartContaining(set: TimeWindowPartitions, wall: WallTime): WallTime {
  const date = wall.slice(0, 10);
  if (set.granularity === 'daily') return `${date}T00:00`;
  if (set.granularity === 'weekly') return `${mondayOf(date)}T00:00`;
  return `${date.slice(0, 7)}-01T00:00`;
}

/** The windows of `set` in order from the first starting at or after `from`. */
function* windowsFrom(set: TimeWindowPartitions, from: WallTime): Generator<TimeWindow> {
  const begin = from < set.start ? set.start : from;
  if (set.granularity === 'hourly' || set.granularity === 'cron') {
    let ms: number | null;
    if (set.granularity === 'hourly') {
      ms = instantOfWall(`${begin.slice(0, 13)}:00`, set.timezone);
      if (wallTimeOf(ms, set.timezone) < begin) ms += HOUR_MS;
    } else ms = scheduleOf(set).firstTickAfter(instantOfWall(begin, set.timezone) - 1);
    while (ms !== null) {
      const window = instantWindow(set, ms);
      if (window === null || (set.end !== undefined && window.end > set.end)) return;
      yield window;
      ms = window.endMs!;
    }
    return;
  }
  let start = calendarStartContaining(set, begin);
  if (start < begin) start = calendarWindow(set, start).end;
  for (;;) {
    const window = calendarWindow(set, start);
    if (set.end !== undefined && window.end > set.end) return;
    yield window;
    start = window.end;
  }
}

/** The last answer of timeWindowKeysAt per set, and the instants between which it holds. */
const answers = new WeakMap<
  TimeWindowPartitions,
  { readonly keys: readonly PartitionKey[]; readonly from: number; readonly until: number }
>();

/**
 * The keys of the windows that exist at `nowMs`: the complete ones, moved by `endOffset`. The
 * same array is returned until the next window ends (so a caller can compare sets by identity).
 */
export function timeWindowKeysAt(
  set: TimeWindowPartitions,
  nowMs: number,
): readonly PartitionKey[] {
  const answer = answers.get(set);
  if (answer !== undefined && nowMs >= answer.from && nowMs < answer.until) return answer.keys;
  const nowWall = wallTimeOf(nowMs, set.timezone);
  let keys: PartitionKey[] = [];
  let extra = set.endOffset;
  let until = Infinity; // when the first window not complete now ends
  for (const window of windowsFrom(set, set.start)) {
    const complete = window.endMs === undefined ? window.end <= nowWall : window.endMs <= nowMs;
    if (!complete) {
      if (until === Infinity) until = window.endMs ?? instantOfWall(window.end, set.timezone);
      if (extra <= 0) break;
      extra--;
    }
    keys.push(window.key);
  }
  if (extra < 0) keys = keys.slice(0, Math.max(0, keys.length + extra));
  answers.set(set, { keys, from: nowMs, until });
  return keys;
}

/** The window of `key` (a key of `set`), or undefined for a key no window of `set` has. */
export function timeWindowOf(set: TimeWindowPartitions, key: PartitionKey): TimeWindow | undefined {
  const wall =
    key.length === 7 ? `${key}-01T00:00` : key.length === 10 ? `${key}T00:00` : key.slice(0, 16);
  let seen = 0; // a repeated hour's second window comes right after the first
  for (const window of windowsFrom(set, wall)) {
    if (window.key === key) return window;
    if (++seen > 2) return undefined;
  }
  return undefined;
}

/** The keys of the windows of `set` that start in [from, to), within its bounds. */
export function timeWindowKeysStartingIn(
  set: TimeWindowPartitions,
  from: WallTime,
  to: WallTime,
): PartitionKey[] {
  const keys: PartitionKey[] = [];
  for (const window of windowsFrom(set, from)) {
    if (window.start >= to) break;
    keys.push(window.key);
  }
  return keys;
}

/** The key of the calendar window of `set` containing local time `wall`, within its bounds. */
export function timeWindowKeyContaining(
  set: TimeWindowPartitions,
  wall: WallTime,
): PartitionKey | undefined {
  const start = calendarStartContaining(set, wall);
  if (start < set.start) return undefined;
  const window = calendarWindow(set, start);
  return set.end !== undefined && window.end > set.end ? undefined : window.key;
}
