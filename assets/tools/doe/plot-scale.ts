// Axis scales for the Pareto plot: a padded linear or logarithmic domain with "nice" ticks
// (1, 2, 5 x 10^k) and labels whose decimals follow the tick spacing.

/** Linear, logarithmic, or log when the data span a wide positive range. */
export type ScaleKind = 'linear' | 'log' | 'auto';

/** A resolved axis: maps a data value to [0, 1] and lists the ticks to draw. */
export interface Scale {
  readonly kind: 'linear' | 'log';
  readonly min: number;
  readonly max: number;
  /** Position of `value` along the axis, 0 at `min` and 1 at `max`. */
  fraction(value: number): number;
  readonly ticks: readonly { readonly value: number; readonly label: string }[];
}

/** `auto` picks log when max/min reaches this: beam deflections span decades (L^3 / h^3). */
export const AUTO_LOG_RATIO = 20;

/** About this many ticks on a linear axis: readable at 500-700 px. */
const TARGET_TICKS = 6;

/** Log axes are padded by this factor each side so no dot sits on the frame. */
const LOG_PADDING = 1.15;

/** Relative padding of a degenerate (single-value) linear domain. */
const FLAT_PADDING = 0.1;

/** The 1-2-5 step closest above `raw`. */
function niceStep(raw: number): number {
  const exponent = Math.floor(Math.log10(raw));
  const unit = 10 ** exponent;
  const fraction = raw / unit;
  const mantissa = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return mantissa * unit;
}

/** Decimals needed to print multiples of 10^exponent without noise. */
function decimalsFor(exponent: number): number {
  return Math.max(0, -exponent);
}

function linearScale(lo: number, hi: number): Scale {
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * FLAT_PADDING;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / TARGET_TICKS);
  const first = Math.floor(lo / step);
  const last = Math.ceil(hi / step);
  const decimals = decimalsFor(Math.floor(Math.log10(step)));
  const min = first * step;
  const max = last * step;
  const ticks = [];
  for (let i = first; i <= last; i++) {
    ticks.push({ value: i * step, label: (i * step).toFixed(decimals) });
  }
  return { kind: 'linear', min, max, fraction: (v) => (v - min) / (max - min), ticks };
}

function logScale(lo: number, hi: number): Scale {
  const min = lo / LOG_PADDING;
  const max = hi * LOG_PADDING;
  const decades = Math.log10(max / min);
  // Fewer mantissas when the axis spans many decades, so labels do not collide.
  const mantissaSets =
    decades > 3
      ? [[1], [1, 3]]
      : [
          [1, 2, 5],
          [1, 2, 3, 4, 5, 6, 7, 8, 9],
        ];
  let ticks: { value: number; label: string }[] = [];
  for (const mantissas of mantissaSets) {
    ticks = [];
    for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) {
      for (const m of mantissas) {
        const value = m * 10 ** k;
        if (value >= min && value <= max)
          ticks.push({ value, label: value.toFixed(decimalsFor(k)) });
      }
    }
    if (ticks.length >= 2) break;
  }
  const span = Math.log10(max) - Math.log10(min);
  return {
    kind: 'log',
    min,
    max,
    fraction: (v) => (Math.log10(v) - Math.log10(min)) / span,
    ticks,
  };
}

/**
 * A scale covering `values` (finite numbers, at least one). `log` needs positive values and
 * falls back to linear otherwise.
 */
export function makeScale(values: readonly number[], kind: ScaleKind): Scale {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const canLog = lo > 0;
  const useLog = canLog && (kind === 'log' || (kind === 'auto' && hi / lo >= AUTO_LOG_RATIO));
  return useLog ? logScale(lo, hi) : linearScale(lo, hi);
}
