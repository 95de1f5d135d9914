// Sample statistics and timing helpers: benchmarks report the median with min and max.
import { performance } from 'node:perf_hooks';

/** Median, min and max of a set of samples. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

/** Summarizes samples (at least one). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, samples: [...samples] };
}

/** Applies `fn` to every sample (e.g. total ms -> ms per step); min/max follow monotonic `fn`. */
export function mapSummary(summary: Summary, fn: (value: number) => number): Summary {
  return summarize(summary.samples.map(fn));
}

/** Milliseconds `fn` takes, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

/** Runs `fn` `warmup` times untimed, then `reps` times timed; returns the timings (ms). */
export async function repeat(
  warmup: number,
  reps: number,
  fn: (rep: number) => Promise<unknown>,
): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) samples.push((await timed(() => fn(i))).ms);
  return summarize(samples);
}

/** A number with a sensible number of digits for a table. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/**
 * Like repeat() for several functions at once, interleaved (a, b, c, a, b, c, ...) so that
 * background load and cache state affect each alike; returns one summary per function.
 */
export async function interleave<const T extends readonly (() => Promise<unknown>)[]>(
  warmup: number,
  reps: number,
  fns: T,
): Promise<{ -readonly [K in keyof T]: Summary }> {
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn();
  const samples = fns.map(() => [] as number[]);
  for (let i = 0; i < reps; i++) {
    for (const [index, fn] of fns.entries()) samples[index]!.push((await timed(fn)).ms);
  }
  return samples.map(summarize) as { -readonly [K in keyof T]: Summary };
}
