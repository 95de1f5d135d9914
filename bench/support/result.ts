// The result every benchmark returns, the verdict against its target, and the context the
// benchmarks share (server, log, repetitions).
import type { BenchServer } from './server.js';
import { formatNumber, type Summary } from './stats.js';

/** A target: `value` in the benchmark's unit, which ours must stay at or below / above. */
export interface Target {
  readonly value: number;
  /** 'max' for times (lower is better), 'min' for rates (higher is better). */
  readonly kind: 'max' | 'min';
}

/** One measured quantity (ours or the baseline). */
export interface Measurement {
  readonly label: string;
  readonly summary: Summary;
}

/** What a benchmark reports. */
export interface BenchResult {
  readonly name: string;
  /** What the headline number is, e.g. "ms per step". */
  readonly metric: string;
  readonly unit: string;
  readonly ours: Measurement;
  readonly baseline: Measurement;
  readonly target: Target;
  /** Further numbers worth printing (breakdowns, alternative settings, published numbers). */
  readonly details: readonly string[];
  /** The numbers behind the details, for --json (ratios, per-step costs of each engine). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** What a benchmark receives. */
export interface BenchContext {
  readonly server: BenchServer;
  /** Progress lines (stderr, so --json output stays clean). */
  log(message: string): void;
  /** Repetitions for cheap measurements. */
  readonly reps: number;
}

/** A benchmark. */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(context: BenchContext): Promise<BenchResult>;
}

/**
 * How many times costlier ours is than the baseline (>1 = slower): ours/baseline for times,
 * baseline/ours for rates.
 */
export function costRatio(result: BenchResult): number {
  const ours = result.ours.summary.median;
  const base = result.baseline.summary.median;
  return result.target.kind === 'max' ? ours / base : base / ours;
}

/** PASS or MISS, and by how much a miss misses (in the unit and as a factor). */
export function verdict(result: BenchResult): { pass: boolean; text: string } {
  const ours = result.ours.summary.median;
  const { value, kind } = result.target;
  const pass = kind === 'max' ? ours <= value : ours >= value;
  if (pass) return { pass, text: 'PASS' };
  const factor = kind === 'max' ? ours / value : value / ours;
  const delta = Math.abs(ours - value);
  const direction = kind === 'max' ? 'over' : 'under';
  return {
    pass,
    text: `MISS (${formatNumber(delta)} ${result.unit} ${direction}, ${formatNumber(factor)}x)`,
  };
}
