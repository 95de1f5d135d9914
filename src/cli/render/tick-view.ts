// Human output of the automation daemon: one line per tick that did something, and the table of
// `strata automation history`.
import type { AutomationTickRow, ObservedEntry, TickEntry } from '../../store/index.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';
import { relativeTime } from './time.js';

/** A tick as the daemon reports it (launched and held entries, the run, an error). */
interface TickLike {
  readonly status: string;
  readonly runId: number | null;
  readonly launched: readonly TickEntry[];
  readonly held: readonly TickEntry[];
  readonly observed?: readonly ObservedEntry[];
  readonly error?: string;
}

/** `key[p1,p2,…]` with at most a few partitions named. */
function target(entry: { key: string; partitions: readonly string[] }): string {
  if (entry.partitions.length === 0) return entry.key;
  const shown = entry.partitions.slice(0, 3).join(',');
  const more = entry.partitions.length > 3 ? `,… ${entry.partitions.length} in all` : '';
  return `${entry.key}[${shown}${more}]`;
}

/** The lines describing one tick. */
export function describeTick(tick: TickLike): string {
  const lines: string[] = [];
  if (tick.status === 'failed') lines.push(`tick failed: ${tick.error ?? 'unknown error'}`);
  for (const entry of tick.observed ?? []) {
    if (entry.outcome === 'new')
      lines.push(`observed ${target(entry)}: new version ${entry.dataVersion?.slice(0, 12) ?? ''}`);
    else if (entry.outcome === 'failed')
      lines.push(`observing ${target(entry)} failed: ${entry.error ?? 'unknown error'}`);
  }
  if (tick.launched.length > 0) {
    lines.push(
      `launched run ${tick.runId ?? '(nothing to do after planning)'}:`,
      ...tick.launched.map((e) => `  ${target(e)}  ${e.rule ?? ''}: ${e.reason}`),
    );
  }
  if (tick.held.length > 0) {
    lines.push('held back:', ...tick.held.map((e) => `  ${target(e)}  ${e.reason}`));
  }
  return lines.join('\n');
}

/** What a tick's observations found, in short: `key: new` / `key: failed`, or unchanged count. */
function observedText(observed: readonly ObservedEntry[]): string {
  const notable = observed.filter((e) => e.outcome !== 'unchanged');
  if (notable.length === 0) {
    if (observed.length === 0) return '-';
    // An entry is an asset, or several partitions of one: count what was observed.
    const partitions = observed.reduce((sum, e) => sum + e.partitions.length, 0);
    const assets = observed.filter((e) => e.partitions.length === 0).length;
    const counts = [
      ...(assets > 0 ? [`${assets} asset${assets === 1 ? '' : 's'}`] : []),
      ...(partitions > 0 ? [`${partitions} partition${partitions === 1 ? '' : 's'}`] : []),
    ];
    return `${counts.join(' and ')} unchanged`;
  }
  return notable
    .map((e) => `${target(e)}: ${e.outcome === 'new' ? 'new version' : 'failed'}`)
    .join('; ');
}

/** The table of `strata automation history`. */
export function renderTickHistory(
  ticks: readonly AutomationTickRow[],
  colors: Colors,
  now: Date,
): string[] {
  if (ticks.length === 0) return ['No ticks yet: start `strata daemon` or `strata serve`.'];
  const header = ['TICK', 'WHEN', 'STATUS', 'EVALUATED', 'OBSERVED', 'RUN', 'LAUNCHED', 'HELD'].map(
    (h) => colors.bold(h),
  );
  const rows = ticks.map((tick) => [
    String(tick.id),
    relativeTime(tick.started_at, now),
    tick.status === 'failed' ? colors.red(`failed: ${tick.error ?? ''}`) : tick.status,
    `${tick.evaluated_assets} assets, ${tick.evaluated_partitions} partitions`,
    observedText(tick.observed),
    tick.run_id === null ? '-' : String(tick.run_id),
    tick.launched.map((e) => `${target(e)}: ${e.reason}`).join('; ') || '-',
    tick.held.map((e) => `${target(e)}: ${e.reason}`).join('; ') || '-',
  ]);
  return renderTable([header, ...rows]);
}
