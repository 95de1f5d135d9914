// Human output of source observations (`strata observe`, and `strata materialize` before it
// plans): one line per source asset and outcome.
import type { ObservedEntry } from '../../store/index.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';

/** A version as people compare them: the first 12 characters. */
function shortVersion(version: string | null): string {
  return version === null ? '-' : version.slice(0, 12);
}

function partitionsText(entry: ObservedEntry): string {
  if (entry.partitions.length === 0) return '';
  const shown = entry.partitions.slice(0, 3).join(',');
  const more = entry.partitions.length > 3 ? `,… ${entry.partitions.length} in all` : '';
  return `[${shown}${more}]`;
}

/** The table of what observing found. */
export function renderObservations(entries: readonly ObservedEntry[], colors: Colors): string[] {
  if (entries.length === 0) return ['No source assets to observe.'];
  if (entries.every((entry) => entry.outcome === 'unchanged')) {
    const names = entries.map((entry) => entry.key);
    const listed = names.length <= 3 ? names.join(', ') : `${names.length} source assets`;
    return [`Observed ${listed}: unchanged.`];
  }
  const header = ['SOURCE', 'OBSERVED', 'VERSION'].map((h) => colors.bold(h));
  const rows = entries.map((entry) => [
    `${entry.key}${partitionsText(entry)}`,
    entry.outcome === 'new'
      ? colors.yellow('new version')
      : entry.outcome === 'unchanged'
        ? 'unchanged'
        : colors.red(`failed: ${entry.error ?? 'unknown error'}`),
    // A line of several partitions holds the first one's version only: each has its own.
    entry.partitions.length > 1 ? 'one per partition' : shortVersion(entry.dataVersion),
  ]);
  return renderTable([header, ...rows]);
}
