// The table printed when a run ends: per asset, how many partitions were computed, reused,
// cut off, failed or skipped, and how long they took; then the failures with their errors.
import type { RunSummary } from '../../executor/index.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';
import { formatDuration } from './time.js';

/** Failures are listed one per line up to this many, so a broken fan-out stays readable. */
const MAX_FAILURES_LISTED = 10;

/** Human lines summarizing a finished run; `rank` orders the assets (e.g. topologically). */
export function renderRunSummary(
  summary: RunSummary,
  colors: Colors,
  rank: (key: string) => number = () => 0,
): string[] {
  const byAsset = new Map<
    string,
    {
      computed: number;
      reused: number;
      fresh: number;
      failed: number;
      skipped: number;
      canceled: number;
      ms: number;
    }
  >();
  for (const step of summary.steps) {
    let row = byAsset.get(step.key);
    if (!row)
      byAsset.set(
        step.key,
        (row = { computed: 0, reused: 0, fresh: 0, failed: 0, skipped: 0, canceled: 0, ms: 0 }),
      );
    if (step.status === 'succeeded') row.computed++;
    else if (step.status === 'reused') row.reused++;
    else if (step.status === 'fresh') row.fresh++;
    else if (step.status === 'failed') row.failed++;
    else if (step.status === 'skipped') row.skipped++;
    else if (step.status === 'canceled') row.canceled++;
    row.ms += step.durationMs ?? 0;
  }
  const count = (n: number, paint: (s: string) => string = (s) => s): string =>
    n === 0 ? colors.dim('-') : paint(String(n));
  const rows = [
    ['asset', 'computed', 'reused', 'cut off', 'failed', 'skipped', 'time'].map((h) =>
      colors.bold(h),
    ),
    ...[...byAsset]
      .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1))
      .map(([key, r]) => [
        key,
        count(r.computed, colors.green),
        count(r.reused),
        count(r.fresh),
        count(r.failed, colors.red),
        count(r.skipped + r.canceled, colors.yellow),
        formatDuration(r.ms),
      ]),
  ];
  const status =
    summary.status === 'succeeded' ? colors.green(summary.status) : colors.red(summary.status);
  const lines = [
    ...renderTable(rows, { align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'] }),
    '',
    `run ${summary.runId} ${status} in ${formatDuration(summary.durationMs ?? 0)}`,
  ];
  const failures = summary.steps.filter((s) => s.status === 'failed');
  for (const step of failures.slice(0, MAX_FAILURES_LISTED)) {
    lines.push(
      colors.red(
        `  ✗ ${step.key}${step.partition === null ? '' : `[${step.partition}]`} after ${step.attempts} attempt${step.attempts === 1 ? '' : 's'}: ${step.error ?? 'failed'}`,
      ),
    );
  }
  if (failures.length > MAX_FAILURES_LISTED)
    lines.push(colors.red(`  ... and ${failures.length - MAX_FAILURES_LISTED} more failures`));
  return lines;
}
