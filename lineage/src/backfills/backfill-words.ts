// A backfill in words: its target counts and its partition filters as the CLI writes them.
// DOM-free, so it is tested without a browser.
import type { BackfillCounts } from '../api/types.js';

/** "12 done · 1 failed · 0 held · 3 remaining (2 in flight)". */
export function countsInWords(counts: BackfillCounts): string {
  const inFlight = counts.launched > 0 ? ` (${counts.launched} in flight)` : '';
  return `${counts.done} done · ${counts.failed} failed · ${counts.held} held · ${counts.remaining} remaining${inFlight}`;
}

/** The filters of `options` as the CLI writes them; "none" when there are none. */
export function filtersInWords(options: Record<string, unknown>): string {
  const words: string[] = [];
  if (typeof options.from === 'string') words.push(`--from ${options.from}`);
  if (typeof options.to === 'string') words.push(`--to ${options.to}`);
  if (Array.isArray(options.partitions))
    words.push(`--partition ${(options.partitions as unknown[]).map(String).join(', ')}`);
  if (options.missing === true) words.push('only missing');
  if (options.failed === true) words.push('only failed');
  return words.length === 0 ? 'none (every partition)' : words.join(' · ');
}
