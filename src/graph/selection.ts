// Resolves a selection (see selection-parser.ts for the syntax) against an asset graph: the
// selected keys in topological order and the partition restrictions of `key[p,...]` terms.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { didYouMean } from '../util/closest.js';
import type { AssetGraph } from './asset-graph.js';
import { SelectionError } from './selection-error.js';
import { parseSelection, type ParsedSelection, type SelectionTerm } from './selection-parser.js';

/** The assets (and partitions) a selection stands for. */
export interface ResolvedSelection {
  /** Selected asset keys in topological order. */
  readonly keys: readonly AssetKey[];
  /**
   * Partition restrictions from `key[part,...]` terms: asset -> allowed partition keys. An asset
   * absent from the map is not restricted.
   */
  readonly partitions: ReadonlyMap<AssetKey, readonly PartitionKey[]>;
  /** The text as given (or '*' for everything). */
  readonly text: string;
}

/** Hints list at most this many names: enough to spot the intended one, short enough to read. */
const MAX_LISTED_NAMES = 10;

/**
 * Resolves `text` against `graph`. Partition keys are checked for syntax only: whether they exist
 * is decided by the planner, since partition sets may be dynamic or produced at run time.
 */
export function resolveSelection(graph: AssetGraph, text: string | undefined): ResolvedSelection {
  return resolveParsedSelection(graph, parseSelection(text));
}

/** Resolves an already parsed selection against `graph`. */
export function resolveParsedSelection(
  graph: AssetGraph,
  parsed: ParsedSelection,
): ResolvedSelection {
  const selected = new Set<AssetKey>();
  const unrestricted = new Set<AssetKey>();
  const restricted = new Map<AssetKey, PartitionKey[]>();
  for (const term of parsed.terms) {
    const keys = termKeys(graph, parsed.text, term);
    for (const key of keys) selected.add(key);
    if (term.partitions === undefined) {
      for (const key of keys) unrestricted.add(key);
      continue;
    }
    const [key] = keys as [AssetKey];
    if (!graph.node(key).definition.partitions) {
      throw failure(
        parsed.text,
        term,
        `asset ${key} is not partitioned`,
        `select it without brackets: ${key}`,
      );
    }
    const parts = restricted.get(key) ?? [];
    for (const part of term.partitions) if (!parts.includes(part)) parts.push(part);
    restricted.set(key, parts);
  }
  const partitions = new Map<AssetKey, readonly PartitionKey[]>();
  for (const key of graph.sortTopologically(restricted.keys())) {
    if (!unrestricted.has(key)) partitions.set(key, restricted.get(key)!);
  }
  return { keys: graph.sortTopologically(selected), partitions, text: parsed.text };
}

/** The keys one term selects, with its upstream and downstream levels. */
function termKeys(graph: AssetGraph, text: string, term: SelectionTerm): AssetKey[] {
  const base = targetKeys(graph, text, term);
  const keys = new Set(base);
  for (const key of base) {
    if (term.upstream > 0) for (const k of graph.upstream(key, term.upstream)) keys.add(k);
    if (term.downstream > 0) for (const k of graph.downstream(key, term.downstream)) keys.add(k);
  }
  return [...keys];
}

function targetKeys(graph: AssetGraph, text: string, term: SelectionTerm): AssetKey[] {
  const target = term.target;
  const all = graph.order;
  switch (target.kind) {
    case 'all':
      return [...all];
    case 'key':
      if (!graph.has(target.key)) {
        throw failure(
          text,
          term,
          `unknown asset ${JSON.stringify(target.key)}`,
          didYouMean(target.key, all) ?? listHint('assets', all),
        );
      }
      return [target.key];
    case 'prefix': {
      const keys = all.filter((key) => key.startsWith(`${target.prefix}/`));
      if (keys.length === 0) {
        const prefixes = keyPrefixes(all).map((p) => `${p}/*`);
        throw failure(
          text,
          term,
          `no asset matches ${JSON.stringify(`${target.prefix}/*`)}`,
          didYouMean(`${target.prefix}/*`, prefixes) ?? listHint('prefixes', prefixes),
        );
      }
      return keys;
    }
    case 'group':
      return matching(graph, text, term, 'group', target.group, (key) => [
        graph.node(key).definition.group,
      ]);
    case 'owner':
      return matching(
        graph,
        text,
        term,
        'owner',
        target.owner,
        (key) => graph.node(key).definition.owners,
      );
    case 'tag': {
      const tags = (key: AssetKey): Readonly<Record<string, string>> =>
        graph.node(key).definition.tags;
      if (target.value === undefined) {
        return matching(graph, text, term, 'tag', target.tag, (key) => Object.keys(tags(key)));
      }
      const pairs = (key: AssetKey): string[] =>
        Object.entries(tags(key)).map(([k, v]) => `${k}=${v}`);
      return matching(graph, text, term, 'tag', `${target.tag}=${target.value}`, pairs);
    }
  }
}

/** The keys whose `namesOf` include `name`, or an error listing the names that exist. */
function matching(
  graph: AssetGraph,
  text: string,
  term: SelectionTerm,
  what: string,
  name: string,
  namesOf: (key: AssetKey) => readonly string[],
): AssetKey[] {
  const keys = graph.order.filter((key) => namesOf(key).includes(name));
  if (keys.length > 0) return keys;
  const known = [...new Set(graph.order.flatMap((key) => namesOf(key)))].sort();
  const hint = [didYouMean(name, known), listHint(`${what}s`, known)].filter(
    (h) => h !== undefined,
  );
  throw failure(text, term, `unknown ${what} ${JSON.stringify(name)}`, hint.join('; '));
}

/** Every proper prefix of the keys (`sim` and `sim/post` of `sim/post/summary`), sorted. */
function keyPrefixes(keys: readonly AssetKey[]): string[] {
  const prefixes = new Set<string>();
  for (const key of keys) {
    const segments = key.split('/');
    for (let i = 1; i < segments.length; i++) prefixes.add(segments.slice(0, i).join('/'));
  }
  return [...prefixes].sort();
}

function listHint(what: string, names: readonly string[]): string {
  if (names.length === 0) return `there are no ${what}`;
  const shown = names.slice(0, MAX_LISTED_NAMES).join(', ');
  const more =
    names.length > MAX_LISTED_NAMES ? ` and ${names.length - MAX_LISTED_NAMES} more` : '';
  return `known ${what}: ${shown}${more}`;
}

function failure(
  text: string,
  term: SelectionTerm,
  problem: string,
  hint: string | undefined,
): SelectionError {
  return new SelectionError(problem, { text, term: term.text, column: term.column }, hint);
}
