// Partition keys written compactly: keys that differ only by a counter in their last number
// (d01, d02, d03) become one range "d01..d03"; the rest are listed as they are.

/** Keys in natural order (d2 before d10). */
export function naturalSort(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** A key split at its last run of digits: "d07" -> ["d", 7, ""], width 2. */
interface Counter {
  readonly prefix: string;
  readonly value: number;
  readonly width: number;
  readonly suffix: string;
}

function counterOf(key: string): Counter | undefined {
  const match = /^(.*?)(\d+)(\D*)$/.exec(key);
  if (match === null) return undefined;
  const digits = match[2]!;
  if (digits.length > 15) return undefined;
  return { prefix: match[1]!, value: Number(digits), width: digits.length, suffix: match[3]! };
}

/** Whether `next` is the key after `previous` in a counted series. */
function follows(previous: string, next: string): boolean {
  const a = counterOf(previous);
  const b = counterOf(next);
  if (a === undefined || b === undefined) return false;
  if (a.prefix !== b.prefix || a.suffix !== b.suffix || b.value !== a.value + 1) return false;
  // Same width, or no padding (9 -> 10).
  return a.width === b.width || String(a.value).length === a.width;
}

/** Runs of consecutive keys, each as [first, last], in natural order. */
export function keyRuns(keys: readonly string[]): [string, string][] {
  const runs: [string, string][] = [];
  for (const key of naturalSort([...new Set(keys)])) {
    const last = runs[runs.length - 1];
    if (last !== undefined && follows(last[1], key)) last[1] = key;
    else runs.push([key, key]);
  }
  return runs;
}

/**
 * The keys as ranges, "d01..d16" or "d01..d05, d07, d09..d16"; beyond `maxRuns` runs the list
 * ends with "…" (the caller says how many keys there are).
 */
export function formatKeyRanges(keys: readonly string[], maxRuns = 4): string {
  const runs = keyRuns(keys);
  const shown = runs
    .slice(0, maxRuns)
    .map(([first, last]) => (first === last ? first : `${first}..${last}`));
  return runs.length > maxRuns ? `${shown.join(', ')}, …` : shown.join(', ');
}
