// Selection syntax: parsing without a graph, resolution against a small graph (a diamond, a
// chain with a partitioned asset, groups, tags and owners), and the quality of error messages.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  asset,
  defineAssets,
  dynamicPartitions,
  staticPartitions,
} from '../../src/definitions/index.js';
import { UsageError } from '../../src/errors.js';
import {
  buildAssetGraph,
  parseSelection,
  resolveSelection,
  SelectionError,
} from '../../src/graph/index.js';

const materials = staticPartitions(['steel', 'alu']);
const count = z.number();

const geometry = asset({
  key: 'geometry',
  group: 'cad',
  owners: ['alice'],
  tags: { team: 'cad' },
  schema: count,
  compute: () => 1,
});
const mesh = asset({
  key: 'sim/mesh',
  deps: { geometry },
  group: 'sim',
  owners: ['bob'],
  tags: { solver: 'fea', tier: 'gold' },
  partitions: materials,
  schema: count,
  compute: () => 2,
});
const solve = asset({
  key: 'sim/solve',
  deps: { mesh },
  group: 'sim',
  owners: ['bob', 'carol'],
  tags: { solver: 'fea' },
  partitions: materials,
  schema: count,
  compute: () => 3,
});
const summary = asset({
  key: 'sim/post/summary',
  deps: { solve: allPartitions(solve) },
  group: 'sim',
  tags: { tier: 'silver' },
  schema: count,
  compute: () => 4,
});
const raw = asset({
  key: 'stats/raw',
  group: 'stats',
  owners: ['dave'],
  schema: count,
  compute: () => 5,
});
const left = asset({
  key: 'stats/left',
  deps: { raw },
  group: 'stats',
  schema: count,
  compute: () => 6,
});
const right = asset({
  key: 'stats/right',
  deps: { raw },
  group: 'stats',
  schema: count,
  compute: () => 7,
});
const joined = asset({
  key: 'stats/joined',
  deps: { left, right },
  group: 'stats',
  schema: count,
  compute: () => 8,
});
const report = asset({
  key: 'report',
  deps: { summary, joined },
  group: 'reporting',
  owners: ['carol'],
  schema: count,
  compute: () => 9,
});
const orphan = asset({ key: 'orphan', schema: count, compute: () => 10 });
const uploads = asset({
  key: 'uploads',
  partitions: dynamicPartitions('uploads'),
  schema: count,
  compute: () => 11,
});

const graph = buildAssetGraph(
  defineAssets([report, joined, right, left, raw, summary, solve, mesh, geometry, orphan, uploads]),
);

const ALL = [
  'geometry',
  'orphan',
  'stats/raw',
  'uploads',
  'sim/mesh',
  'stats/left',
  'stats/right',
  'sim/solve',
  'stats/joined',
  'sim/post/summary',
  'report',
];

describe('resolveSelection', () => {
  it('orders the whole graph topologically, ties by key', () => {
    expect(graph.order).toEqual(ALL);
  });

  const cases: ReadonlyArray<{
    text: string | undefined;
    keys: readonly string[];
    partitions?: Record<string, readonly string[]>;
  }> = [
    { text: undefined, keys: ALL },
    { text: '', keys: ALL },
    { text: '   ', keys: ALL },
    { text: '*', keys: ALL },
    { text: 'report', keys: ['report'] },
    { text: ' report , orphan ', keys: ['orphan', 'report'] },
    { text: 'report,report', keys: ['report'] },
    { text: 'sim/*', keys: ['sim/mesh', 'sim/solve', 'sim/post/summary'] },
    { text: 'sim/post/*', keys: ['sim/post/summary'] },
    {
      text: '+report',
      keys: ALL.filter((k) => k !== 'orphan' && k !== 'uploads'),
    },
    { text: '1+report', keys: ['stats/joined', 'sim/post/summary', 'report'] },
    {
      text: '2+report',
      keys: [
        'stats/left',
        'stats/right',
        'sim/solve',
        'stats/joined',
        'sim/post/summary',
        'report',
      ],
    },
    {
      text: 'geometry+',
      keys: ['geometry', 'sim/mesh', 'sim/solve', 'sim/post/summary', 'report'],
    },
    { text: 'geometry+2', keys: ['geometry', 'sim/mesh', 'sim/solve'] },
    { text: '+stats/left+', keys: ['stats/raw', 'stats/left', 'stats/joined', 'report'] },
    {
      text: '1+stats/joined+1',
      keys: ['stats/left', 'stats/right', 'stats/joined', 'report'],
    },
    { text: '+sim/post/*', keys: ['geometry', 'sim/mesh', 'sim/solve', 'sim/post/summary'] },
    { text: 'group:stats', keys: ['stats/raw', 'stats/left', 'stats/right', 'stats/joined'] },
    { text: 'group:default', keys: ['orphan', 'uploads'] },
    {
      text: 'group:stats+1',
      keys: ['stats/raw', 'stats/left', 'stats/right', 'stats/joined', 'report'],
    },
    { text: 'tag:solver=fea', keys: ['sim/mesh', 'sim/solve'] },
    { text: 'tag:tier', keys: ['sim/mesh', 'sim/post/summary'] },
    { text: 'tag:tier=silver', keys: ['sim/post/summary'] },
    { text: 'owner:bob', keys: ['sim/mesh', 'sim/solve'] },
    { text: 'owner:carol', keys: ['sim/solve', 'report'] },
    { text: 'owner:alice,group:reporting', keys: ['geometry', 'report'] },
    { text: 'sim/mesh[steel]', keys: ['sim/mesh'], partitions: { 'sim/mesh': ['steel'] } },
    {
      text: 'sim/mesh[ steel , alu, steel ]',
      keys: ['sim/mesh'],
      partitions: { 'sim/mesh': ['steel', 'alu'] },
    },
    {
      text: 'sim/solve[alu],sim/mesh[steel],sim/mesh[alu]',
      keys: ['sim/mesh', 'sim/solve'],
      partitions: { 'sim/mesh': ['steel', 'alu'], 'sim/solve': ['alu'] },
    },
    // Existence is the planner's business: partition sets may be dynamic or produced at run time.
    { text: 'sim/mesh[titanium]', keys: ['sim/mesh'], partitions: { 'sim/mesh': ['titanium'] } },
    { text: 'uploads[2024-01-01]', keys: ['uploads'], partitions: { uploads: ['2024-01-01'] } },
    {
      text: 'sim/mesh[steel],sim/*,sim/solve[alu]',
      keys: ['sim/mesh', 'sim/solve', 'sim/post/summary'],
      partitions: {},
    },
    {
      text: 'sim/solve[alu],+sim/post/summary',
      keys: ['geometry', 'sim/mesh', 'sim/solve', 'sim/post/summary'],
      partitions: {},
    },
  ];

  it.each(cases)('$text', ({ text, keys, partitions = {} }) => {
    const selection = resolveSelection(graph, text);
    expect(selection.keys).toEqual(keys);
    expect(Object.fromEntries(selection.partitions)).toEqual(partitions);
    expect(selection.text).toBe(text === undefined || text.trim() === '' ? '*' : text);
  });
});

describe('bad selections', () => {
  const cases: ReadonlyArray<{ text: string; message: string; hint?: string | RegExp }> = [
    {
      text: 'sim/mseh+',
      message: 'unknown asset "sim/mseh" in selection "sim/mseh+" at column 1',
      hint: 'did you mean sim/mesh?',
    },
    {
      text: 'report, sim/mseh',
      message:
        'unknown asset "sim/mseh" in selection "report, sim/mseh" at column 9 (term "sim/mseh")',
      hint: 'did you mean sim/mesh?',
    },
    {
      text: 'zzzzzzzz',
      message: 'unknown asset "zzzzzzzz"',
      hint: /^known assets: geometry, orphan/,
    },
    { text: 'simx/*', message: 'no asset matches "simx/*"', hint: 'did you mean sim/*?' },
    {
      text: 'group:simm',
      message: 'unknown group "simm"',
      hint: 'did you mean sim?; known groups: cad, default, reporting, sim, stats',
    },
    {
      text: 'owner:zed',
      message: 'unknown owner "zed"',
      hint: 'known owners: alice, bob, carol, dave',
    },
    { text: 'tag:colour', message: 'unknown tag "colour"', hint: 'known tags: solver, team, tier' },
    {
      text: 'tag:solver=cfd',
      message: 'unknown tag "solver=cfd"',
      hint: /did you mean solver=fea\?; known tags: solver=fea, team=cad, tier=gold, tier=silver/,
    },
    {
      text: 'report[x]',
      message: 'asset report is not partitioned',
      hint: 'select it without brackets: report',
    },
    { text: '0+report', message: 'depth 0 is not a positive integer', hint: /positive integer/ },
    { text: 'report+abc', message: 'bad depth "abc" after +', hint: /positive integer/ },
    {
      text: 'a,,b',
      message: 'empty term in selection "a,,b" at column 3',
      hint: 'remove the extra comma',
    },
    { text: 'report,', message: 'empty term in selection "report," at column 8' },
    { text: 'sim/mesh[steel', message: 'unclosed [ in selection "sim/mesh[steel" at column 9' },
    { text: 'report,sim/mesh]', message: '] without a matching [', hint: undefined },
    { text: 'sim/mesh[[steel]]', message: 'nested [' },
    { text: 'sim/mesh[]', message: 'invalid partition key "": it is empty' },
    { text: 'sim/mesh[steel,,alu]', message: 'invalid partition key "": it is empty' },
    { text: 'sim/mesh[st eel]', message: 'invalid partition key "st eel": it may only contain' },
    {
      text: '+sim/mesh[steel]',
      message: 'partition brackets cannot be combined with +',
      hint: /separate terms/,
    },
    { text: 'sim/mesh[steel]+', message: 'unexpected "+" after ]', hint: /separate terms/ },
    { text: 'sim/*[steel]', message: 'partition brackets need an exact asset key' },
    {
      text: 'Report',
      message: 'invalid asset key "Report"',
      hint: 'asset keys are lowercase: did you mean report?',
    },
    { text: 'sim//mesh', message: 'invalid asset key "sim//mesh"', hint: /lowercase letters/ },
    { text: 'sim*', message: 'misplaced * in "sim*"' },
    { text: '++report', message: 'misplaced + in "+report"' },
    { text: '+', message: 'missing asset key' },
    { text: 'grop:sim', message: 'unknown selector "grop:"', hint: 'did you mean group:?' },
    { text: 'colour:red', message: 'unknown selector "colour:"', hint: 'use group:, tag:, owner:' },
    { text: 'group:Sim', message: 'invalid group name "Sim"' },
    { text: 'tag:=x', message: 'missing tag name after tag:' },
    { text: 'owner:', message: 'missing owner after owner:' },
  ];

  it.each(cases)('$text', ({ text, message, hint }) => {
    let error: unknown;
    try {
      resolveSelection(graph, text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SelectionError);
    expect(error).toBeInstanceOf(UsageError);
    const { message: actual, hint: actualHint } = error as SelectionError;
    expect(actual).toContain(message);
    expect(actual).toContain(JSON.stringify(text));
    if (typeof hint === 'string') expect(actualHint).toBe(hint);
    else if (hint instanceof RegExp) expect(actualHint).toMatch(hint);
  });

  // The column points at the offending character, not the start of its term.
  const columns: ReadonlyArray<{ text: string; column: number; message: string }> = [
    { text: 'mesh++ + foo', column: 6, message: 'unexpected "+ + foo" after "mesh+"' },
    { text: 'report, mesh++ + foo', column: 14, message: 'unexpected "+ + foo" after "mesh+"' },
    { text: 'mesh + foo', column: 5, message: 'unexpected space after "mesh"' },
    { text: 'report+abc', column: 8, message: 'bad depth "abc" after +' },
    { text: 'report+2x', column: 9, message: 'unexpected "x" after "report+2"' },
    { text: '2+report+abc', column: 10, message: 'bad depth "abc" after +' },
    { text: '++report', column: 2, message: 'misplaced + in "+report"' },
    { text: 'report+0', column: 8, message: 'depth 0 is not a positive integer' },
    { text: 'a, sim*', column: 7, message: 'misplaced * in "sim*"' },
    { text: 'sim/mesh[steel] +', column: 17, message: 'unexpected " +" after ]' },
    { text: 'sim/mesh[a, st eel]', column: 13, message: 'invalid partition key "st eel"' },
    { text: 'report, Report', column: 9, message: 'invalid asset key "Report"' },
  ];

  it.each(columns)('$text: column $column', ({ text, column, message }) => {
    const error = catchError(() => resolveSelection(graph, text));
    expect(error.message).toContain(message);
    expect(error.message).toContain(`at column ${column}`);
    expect(error.column).toBe(column);
  });

  it('records the term and column on the error', () => {
    const error = catchError(() => resolveSelection(graph, 'report,  tag:nope'));
    expect(error).toMatchObject({ term: 'tag:nope', column: 10 });
  });

  it('lists at most ten names in a hint', () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      asset({
        key: `k${i}`,
        owners: [`owner_${String(i).padStart(2, '0')}`],
        schema: count,
        compute: () => i,
      }),
    );
    const error = catchError(() =>
      resolveSelection(buildAssetGraph(defineAssets(many)), 'owner:x'),
    );
    expect(error.hint).toBe(
      `known owners: ${many
        .slice(0, 10)
        .map((_, i) => `owner_0${i}`)
        .join(', ')} and 2 more`,
    );
  });
});

describe('parseSelection', () => {
  it('parses without a graph', () => {
    expect(
      parseSelection(' 2+sim/mesh+ , tag:k=v=w,sim/solve[a, b],owner:a+b@x.io,sim/*+1'),
    ).toEqual({
      text: ' 2+sim/mesh+ , tag:k=v=w,sim/solve[a, b],owner:a+b@x.io,sim/*+1',
      terms: [
        {
          text: '2+sim/mesh+',
          column: 2,
          target: { kind: 'key', key: 'sim/mesh' },
          upstream: 2,
          downstream: Infinity,
          partitions: undefined,
        },
        {
          text: 'tag:k=v=w',
          column: 16,
          target: { kind: 'tag', tag: 'k', value: 'v=w' },
          upstream: 0,
          downstream: 0,
          partitions: undefined,
        },
        {
          text: 'sim/solve[a, b]',
          column: 26,
          target: { kind: 'key', key: 'sim/solve' },
          upstream: 0,
          downstream: 0,
          partitions: ['a', 'b'],
        },
        {
          text: 'owner:a+b@x.io',
          column: 42,
          target: { kind: 'owner', owner: 'a+b@x.io' },
          upstream: 0,
          downstream: 0,
          partitions: undefined,
        },
        {
          text: 'sim/*+1',
          column: 57,
          target: { kind: 'prefix', prefix: 'sim' },
          upstream: 0,
          downstream: 1,
          partitions: undefined,
        },
      ],
    });
  });

  it('treats empty text as everything', () => {
    expect(parseSelection(undefined)).toEqual(parseSelection(' '));
    expect(parseSelection('').terms.map((t) => t.target)).toEqual([{ kind: 'all' }]);
  });

  it('reports syntax errors without a graph', () => {
    expect(() => parseSelection('x+abc')).toThrow(SelectionError);
    expect(() => parseSelection('unknown_but_valid')).not.toThrow();
  });
});

function catchError(run: () => unknown): SelectionError {
  try {
    run();
  } catch (error) {
    if (error instanceof SelectionError) return error;
    throw error;
  }
  throw new Error('expected a SelectionError');
}
