// The selection syntax, parsed to terms without a graph: `key`, `prefix/*`, `*`, `N+key+M`,
// `group:g`, `tag:k=v`, `tag:k`, `owner:o`, `key[p1,p2]`, unions with commas.
import {
  isAssetKey,
  partitionKeyProblem,
  type AssetKey,
  type PartitionKey,
} from '../definitions/index.js';
import { didYouMean } from '../util/closest.js';
import { SelectionError } from './selection-error.js';

/** What a term names before any graph walk. */
export type SelectionTarget =
  | { readonly kind: 'all' }
  | { readonly kind: 'key'; readonly key: AssetKey }
  | { readonly kind: 'prefix'; readonly prefix: AssetKey }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'tag'; readonly tag: string; readonly value: string | undefined }
  | { readonly kind: 'owner'; readonly owner: string };

/** One comma-separated term of a selection. */
export interface SelectionTerm {
  /** The term as written, trimmed. */
  readonly text: string;
  /** 1-based column of the term in the selection text. */
  readonly column: number;
  readonly target: SelectionTarget;
  /** Upstream levels to add: 0 for none, Infinity for all (`+key`). */
  readonly upstream: number;
  /** Downstream levels to add: 0 for none, Infinity for all (`key+`). */
  readonly downstream: number;
  /** Partitions from `key[p1,p2]` (deduplicated, in order of appearance), or undefined. */
  readonly partitions: readonly PartitionKey[] | undefined;
}

/** A parsed selection: the union of its terms. */
export interface ParsedSelection {
  /** The text as given, or '*' when it was empty or undefined. */
  readonly text: string;
  readonly terms: readonly SelectionTerm[];
}

/** The selectors a `name:value` term may use. */
const SELECTORS = ['group', 'tag', 'owner'] as const;
const GROUP_PATTERN = /^[a-z0-9_]+$/;
const KEY_HINT =
  'asset keys are path segments of lowercase letters, digits and _, joined by / (e.g. sim/mesh)';
const DEPTH_HINT = 'a depth is a positive integer: 2+key (two levels up), key+1 (one level down)';
const SEPARATE_HINT =
  'a term is key, N+key or key+N; separate terms with commas, not + or spaces: sim/mesh+, report';

interface RawTerm {
  readonly text: string;
  readonly column: number;
}

/** Parses a selection; empty, blank or undefined text selects everything. */
export function parseSelection(text: string | undefined): ParsedSelection {
  if (text === undefined || text.trim() === '') {
    return { text: '*', terms: [allTerm('*', 1)] };
  }
  return { text, terms: splitTerms(text).map((raw) => parseTerm(raw, text)) };
}

function allTerm(text: string, column: number): SelectionTerm {
  return {
    text,
    column,
    target: { kind: 'all' },
    upstream: 0,
    downstream: 0,
    partitions: undefined,
  };
}

/** Splits on commas outside brackets, checking that brackets balance and do not nest. */
function splitTerms(text: string): RawTerm[] {
  const terms: RawTerm[] = [];
  let start = 0;
  let open = -1;
  const fail = (problem: string, at: number, hint?: string): never => {
    throw new SelectionError(problem, { text, term: termAround(text, at), column: at + 1 }, hint);
  };
  for (let i = 0; i <= text.length; i++) {
    const char = text[i];
    if (char === '[') {
      if (open >= 0) fail('nested [', i, 'write partitions as key[p1,p2]');
      open = i;
    } else if (char === ']') {
      if (open < 0) fail('] without a matching [', i);
      open = -1;
    } else if ((char === ',' && open < 0) || i === text.length) {
      if (i === text.length && open >= 0)
        fail('unclosed [', open, 'close the partition list with ]');
      terms.push(trimmed(text, start, i));
      start = i + 1;
    }
  }
  for (const term of terms) {
    if (term.text === '') {
      throw new SelectionError(
        'empty term',
        { text, term: '', column: term.column },
        'remove the extra comma',
      );
    }
  }
  return terms;
}

function trimmed(text: string, start: number, end: number): RawTerm {
  const raw = text.slice(start, end);
  const leading = raw.length - raw.trimStart().length;
  return { text: raw.trim(), column: start + leading + 1 };
}

/** The comma-separated term around offset `at`, for error messages from the splitter. */
function termAround(text: string, at: number): string {
  const start = text.lastIndexOf(',', at - 1) + 1;
  const end = text.indexOf(',', at);
  return text.slice(start, end < 0 ? text.length : end).trim();
}

/** Fails with a problem at `at`, an offset into the term (0, its start, when not given). */
type Fail = (problem: string, hint?: string, at?: number) => never;

function parseTerm(raw: RawTerm, text: string): SelectionTerm {
  const fail: Fail = (problem, hint, at = 0) => {
    throw new SelectionError(problem, { text, term: raw.text, column: raw.column + at }, hint);
  };
  let body = raw.text;
  let partitions: PartitionKey[] | undefined;
  const open = body.indexOf('[');
  if (open >= 0) {
    const close = body.indexOf(']');
    const rest = body.slice(close + 1);
    if (rest.length > 0) {
      fail(
        `unexpected ${JSON.stringify(rest)} after ]`,
        rest.trimStart().startsWith('+')
          ? 'partition brackets apply to one exact key; list its neighbours as separate terms'
          : 'partition brackets end a term: key[p1,p2]',
        close + 1 + (rest.length - rest.trimStart().length),
      );
    }
    partitions = parsePartitions(body.slice(open + 1, close), (problem, hint, at = 0) =>
      fail(problem, hint, open + 1 + at),
    );
    body = body.slice(0, open).trimEnd();
  }
  let upstream = 0;
  let downstream = 0;
  let bodyStart = 0;
  const leading = /^(\d*)\+/.exec(body);
  if (leading) {
    upstream = parseDepth(leading[1]!, fail);
    body = body.slice(leading[0].length);
    bodyStart = leading[0].length;
  }
  const trailing = /\+(\d*)$/.exec(body);
  if (trailing) {
    downstream = parseDepth(trailing[1]!, (problem, hint) =>
      fail(problem, hint, bodyStart + trailing.index + 1),
    );
    body = body.slice(0, trailing.index);
  }
  const target = parseTarget(body, (problem, hint, at = 0) => fail(problem, hint, bodyStart + at));
  if (partitions) {
    if (target.kind !== 'key')
      fail('partition brackets need an exact asset key', 'write key[p1,p2]');
    if (upstream > 0 || downstream > 0) {
      fail(
        'partition brackets cannot be combined with +',
        'partition brackets apply to one exact key; list its neighbours as separate terms',
      );
    }
  }
  return { text: raw.text, column: raw.column, target, upstream, downstream, partitions };
}

function parseDepth(digits: string, fail: Fail): number {
  if (digits === '') return Infinity;
  const depth = Number(digits);
  if (depth < 1) fail(`depth ${digits} is not a positive integer`, DEPTH_HINT);
  return depth;
}

/** The keys of a partition list; `fail` offsets are into `list`. */
function parsePartitions(list: string, fail: Fail): PartitionKey[] {
  const keys: PartitionKey[] = [];
  let offset = 0;
  for (const written of list.split(',')) {
    const part = written.trim();
    const problem = partitionKeyProblem(part);
    if (problem)
      fail(
        `invalid partition key ${JSON.stringify(part)}: ${problem}`,
        'write partitions as key[p1,p2]',
        offset + (written.length - written.trimStart().length),
      );
    if (!keys.includes(part)) keys.push(part);
    offset += written.length + 1;
  }
  return keys;
}

/** What a term's body (its depths and partitions taken off) names; `fail` offsets are into `body`. */
function parseTarget(body: string, fail: Fail): SelectionTarget {
  if (body === '*') return { kind: 'all' };
  const colon = body.indexOf(':');
  if (colon >= 0) return parseSelector(body.slice(0, colon), body.slice(colon + 1), fail);
  const space = body.search(/\s/);
  const plus = body.indexOf('+');
  if (plus >= 0 && (space < 0 || plus < space)) misplacedPlus(body, fail);
  if (space >= 0) {
    fail(`unexpected space after ${JSON.stringify(body.slice(0, space))}`, SEPARATE_HINT, space);
  }
  if (body === '') fail('missing asset key', KEY_HINT);
  if (body.endsWith('/*')) {
    const prefix = body.slice(0, -2);
    if (!isAssetKey(prefix)) fail(`invalid key prefix ${JSON.stringify(prefix)}`, KEY_HINT);
    return { kind: 'prefix', prefix: prefix as AssetKey };
  }
  const star = body.indexOf('*');
  if (star >= 0) {
    fail(
      `misplaced * in ${JSON.stringify(body)}`,
      'use * alone for every asset, or prefix/* for every key under a prefix',
      star,
    );
  }
  if (!isAssetKey(body)) {
    const lower = body.toLowerCase();
    fail(
      `invalid asset key ${JSON.stringify(body)}`,
      isAssetKey(lower) ? `asset keys are lowercase: did you mean ${lower}?` : KEY_HINT,
    );
  }
  return { kind: 'key', key: body as AssetKey };
}

/**
 * Fails at the first character that breaks `key+N`: `bad depth` for letters where a depth goes
 * (`key+abc`), else what follows the valid start (`mesh++ + foo` at the second +).
 */
function misplacedPlus(body: string, fail: Fail): never {
  const plus = body.indexOf('+');
  const before = body.slice(0, plus);
  if (!isAssetKey(before) && !(before.endsWith('/*') && isAssetKey(before.slice(0, -2)))) {
    return fail(
      `misplaced + in ${JSON.stringify(body)}`,
      'write N+key for upstream and key+N for downstream',
      plus,
    );
  }
  const at = plus + 1 + /^\d*/.exec(body.slice(plus + 1))![0].length;
  const rest = body.slice(at);
  if (at === plus + 1 && /^[^+\s]/.test(rest))
    return fail(`bad depth ${JSON.stringify(rest)} after +`, DEPTH_HINT, at);
  return fail(
    `unexpected ${JSON.stringify(rest)} after ${JSON.stringify(body.slice(0, at))}`,
    SEPARATE_HINT,
    at,
  );
}

function parseSelector(name: string, value: string, fail: Fail): SelectionTarget {
  switch (name) {
    case 'group':
      if (!GROUP_PATTERN.test(value))
        fail(
          `invalid group name ${JSON.stringify(value)}`,
          'group names are lowercase letters, digits and _',
        );
      return { kind: 'group', group: value };
    case 'owner':
      if (value === '') fail('missing owner after owner:', 'write owner:name');
      return { kind: 'owner', owner: value };
    case 'tag': {
      const equals = value.indexOf('=');
      const tag = equals < 0 ? value : value.slice(0, equals);
      if (tag === '') fail('missing tag name after tag:', 'write tag:name=value or tag:name');
      return { kind: 'tag', tag, value: equals < 0 ? undefined : value.slice(equals + 1) };
    }
    default:
      return fail(
        `unknown selector ${JSON.stringify(`${name}:`)}`,
        didYouMean(name, SELECTORS)?.replace(/\?$/, ':?') ??
          `use ${SELECTORS.map((s) => `${s}:`).join(', ')}`,
      );
  }
}
