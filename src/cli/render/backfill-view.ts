// A backfill's progress for people: the live line of a foreground driver (rewritten in place on
// a terminal, one line per change otherwise) and the report of `strata backfill status`.
import type { BackfillProgress, TargetCounts } from '../../backfills/index.js';
import { formatAssetPartition } from '../../graph/index.js';
import type { OutputStream } from '../io.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';
import { formatDuration } from './time.js';

/** `backfill 3 · running · 12/17 done · 2 failed · 3 remaining · 2 runs in flight`. */
export function backfillLine(progress: BackfillProgress, colors: Colors): string {
  const t = progress.totals;
  const parts = [
    `backfill ${progress.id}`,
    progress.status,
    colors.green(`${t.done}/${t.targets} done`),
  ];
  if (t.failed > 0) parts.push(colors.red(`${t.failed} failed`));
  if (t.held > 0) parts.push(colors.yellow(`${t.held} held`));
  parts.push(`${t.remaining} remaining`, `${progress.runsInFlight.length} runs in flight`);
  return parts.join(' · ');
}

/** Renders a foreground driver's progress to `stream`; finish() before printing anything else. */
export function backfillRenderer(
  stream: OutputStream,
  colors: Colors,
): { update(progress: BackfillProgress): void; finish(): void } {
  const started = Date.now();
  const live = stream.isTTY === true;
  let previous = '';
  return {
    update(progress) {
      const line = backfillLine(progress, colors);
      if (live) stream.write(`\r\u001b[2K${line} · ${formatDuration(Date.now() - started)}`);
      else if (line !== previous) stream.write(`${new Date().toISOString()} ${line}\n`);
      previous = line;
    },
    finish() {
      if (live && previous !== '') stream.write(`\r\u001b[2K`);
    },
  };
}

function countCells(c: TargetCounts): string[] {
  return [String(c.targets), String(c.done), String(c.failed), String(c.held), String(c.remaining)];
}

/** The report of `strata backfill status ID`. */
export function renderBackfill(progress: BackfillProgress, colors: Colors): string[] {
  const filters = Object.entries(progress.options)
    .map(([name, value]) => (value === true ? `--${name}` : `--${name} ${String(value)}`))
    .join(' ');
  const lines = [
    backfillLine(progress, colors),
    `  selection ${progress.selection}${filters === '' ? '' : ` ${filters}`} · chunks of ${progress.chunkSize} · at most ${progress.maxRuns} runs in flight`,
    `  created ${progress.createdAt}${progress.launchedBy === null ? '' : ` by ${progress.launchedBy}`}${progress.finishedAt === null ? '' : ` · finished ${progress.finishedAt}`}`,
    '',
    ...renderTable(
      [
        ['asset', 'targets', 'done', 'failed', 'held', 'remaining'],
        ...progress.assets.map((a) => [a.key, ...countCells(a)]),
      ],
      { indent: '  ', align: ['left', 'right', 'right', 'right', 'right', 'right'] },
    ),
  ];
  if (progress.runsInFlight.length > 0)
    lines.push('', `  runs in flight: ${progress.runsInFlight.join(', ')}`);
  if (progress.problems.length > 0) {
    lines.push('', '  failed and held:');
    for (const p of progress.problems) {
      const where = formatAssetPartition(p.key, p.partition ?? '');
      const text = `    ${where}: ${p.state}${p.error === null ? '' : ` (${p.error})`}`;
      lines.push(p.state === 'failed' ? colors.red(text) : colors.yellow(text));
    }
    const more = progress.totals.failed + progress.totals.held - progress.problems.length;
    if (more > 0) lines.push(`    ... and ${more} more`);
  }
  if (progress.status === 'failed' && progress.totals.failed > 0)
    lines.push('', `  rerun the failed partitions with: strata backfill retry ${progress.id}`);
  return lines;
}
