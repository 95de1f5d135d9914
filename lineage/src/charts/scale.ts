// Linear scales and "nice" tick values for the charts.

/** Maps [d0, d1] onto [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  // A step below the values' precision would never move on: such a span gets its ends only.
  if (!(step > 0) || min + step === min || max + step === max) return [min, max];
  for (let value = Math.ceil(min / step) * step; value <= max + step * 1e-9; value += step) {
    ticks.push(Number(value.toPrecision(12)));
  }
  return ticks;
}

/** [min, max] of `values`, widened a little when flat so a single value still has an axis. */
export function extent(values: readonly number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (min === Infinity) return [0, 1];
  if (min === max) {
    const pad = Math.abs(min) * 0.05 || 1;
    return [min - pad, max + pad];
  }
  return [min, max];
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Half the window shown around time points that all fall in the same instant. */
export const TIME_PAD_MS = 5 * MINUTE;

/**
 * [first, last] of the times (epoch ms). A single instant (one point, or several at once) gets a
 * window of TIME_PAD_MS either side: widening by a fraction of the value, as for other axes,
 * would stretch an epoch time over months.
 */
export function timeExtent(times: readonly number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const time of times) {
    if (time < min) min = time;
    if (time > max) max = time;
  }
  if (min === Infinity) {
    const now = Date.now();
    return [now - TIME_PAD_MS, now + TIME_PAD_MS];
  }
  if (max - min < SECOND) return [min - TIME_PAD_MS, max + TIME_PAD_MS];
  return [min, max];
}

/** Tick steps of a time axis, from a second to a year. */
const TIME_STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  91 * DAY,
  365 * DAY,
];

/** One tick of a time axis and its label. */
export interface TimeTick {
  readonly time: number;
  readonly label: string;
}

/**
 * About `count` ticks on round times within [t0, t1] (whole minutes, hours, local midnights),
 * labelled with what changes between them: seconds, clock time or date.
 */
export function timeTicks(t0: number, t1: number, count = 4): TimeTick[] {
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 <= t0) return [];
  const raw = (t1 - t0) / Math.max(1, count);
  const step = TIME_STEPS.find((s) => s >= raw) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const ticks: TimeTick[] = [];
  for (let time = firstTick(t0, step); time <= t1; time = nextTick(time, step)) {
    ticks.push({ time, label: timeLabel(time, step) });
  }
  return ticks;
}

/** The first round time at or after `t0` for `step` (days counted from local midnight). */
function firstTick(t0: number, step: number): number {
  if (step < DAY) {
    // Round in local time: the offset matters for hour steps in zones off a whole hour.
    const offset = new Date(t0).getTimezoneOffset() * MINUTE;
    return Math.ceil((t0 - offset) / step) * step + offset;
  }
  const midnight = new Date(t0);
  midnight.setHours(0, 0, 0, 0);
  if (midnight.getTime() < t0) midnight.setDate(midnight.getDate() + 1);
  return midnight.getTime();
}

function nextTick(time: number, step: number): number {
  if (step < DAY) return time + step;
  const next = new Date(time);
  next.setDate(next.getDate() + Math.round(step / DAY));
  return next.getTime();
}

function timeLabel(time: number, step: number): string {
  const date = new Date(time);
  if (step < MINUTE) return date.toLocaleTimeString(undefined, { hour12: false });
  if (step < DAY)
    return date.toLocaleTimeString(undefined, {
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}
