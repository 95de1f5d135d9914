// Ranks asset keys against a search text, best first: equal, then starting with it (the key or
// one of its '/' segments), then containing it, then holding its characters in order (fuzzy:
// "fea" finds fea_run, "prto" finds pareto_front). Case-insensitive; ties go to the shorter key.

/** How a key matches a text. */
export type KeyMatch = 'exact' | 'prefix' | 'substring' | 'fuzzy';

const RANK: Record<KeyMatch, number> = { exact: 0, prefix: 1, substring: 2, fuzzy: 3 };

/** How `key` matches `needle` (lowercase, non-empty), or undefined when it does not. */
export function matchKey(key: string, needle: string): KeyMatch | undefined {
  const haystack = key.toLowerCase();
  if (haystack === needle) return 'exact';
  if (haystack.startsWith(needle) || haystack.split('/').some((s) => s.startsWith(needle)))
    return 'prefix';
  if (haystack.includes(needle)) return 'substring';
  let at = 0;
  for (const char of haystack) {
    if (char === needle[at]) at++;
    if (at === needle.length) return 'fuzzy';
  }
  return undefined;
}

/** The keys matching `text`, best first, and how each matches. */
export function rankKeys(keys: Iterable<string>, text: string): { key: string; match: KeyMatch }[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return [];
  const hits: { key: string; match: KeyMatch }[] = [];
  for (const key of keys) {
    const match = matchKey(key, needle);
    if (match !== undefined) hits.push({ key, match });
  }
  return hits.sort(
    (a, b) =>
      RANK[a.match] - RANK[b.match] || a.key.length - b.key.length || a.key.localeCompare(b.key),
  );
}
