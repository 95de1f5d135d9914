// Root causes and fan-in causes over many partitions: the walk follows every partition a cause
// stands for (not the five it lists), the why document lists at most a limit and counts the
// rest, and a fan-in whose partition set grows names the change (`dependencies`) at once.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  asset,
  dynamicPartitions,
  staticPartitions,
  type AnyAssetDefinition,
  type AssetKey,
} from '../../src/definitions/index.js';
import { computeStatus, whyDocument, type StaleCause } from '../../src/planner/index.js';
import { addDynamicPartitions } from '../../src/provenance/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';

const database = useTestDatabase();

/** mesh (one partition per design point) -> solve (identity) -> summary (fan-in over solve); report (fan-in over mesh). */
interface World {
  points: readonly string[];
  meshCode: string;
}

function worldAssets(w: World, prefix: string): AnyAssetDefinition[] {
  const parts = staticPartitions([...w.points]);
  const mesh = asset({
    key: `${prefix}/mesh`,
    codeVersion: w.meshCode,
    partitions: parts,
    schema: z.number(),
    compute: ({ partitionKey }) => partitionKey!.length + (w.meshCode === 'm1' ? 0 : 1),
  });
  const solve = asset({
    key: `${prefix}/solve`,
    codeVersion: 's1',
    partitions: parts,
    deps: { mesh },
    schema: z.number(),
    compute: ({ inputs }) => inputs.mesh * 2,
  });
  const summary = asset({
    key: `${prefix}/summary`,
    codeVersion: 'y1',
    deps: { solve: allPartitions(solve) },
    schema: z.number(),
    compute: ({ inputs }) => Object.values(inputs.solve).reduce((x, y) => x + y, 0),
  });
  const report = asset({
    key: `${prefix}/report`,
    codeVersion: 'r1',
    deps: { mesh: allPartitions(mesh) },
    schema: z.number(),
    compute: ({ inputs }) => Object.keys(inputs.mesh).length,
  });
  return [mesh, solve, summary, report];
}

const points = (n: number) =>
  Array.from({ length: n }, (_, i) => `d${String(i + 1).padStart(2, '0')}`);

interface Case {
  name: string;
  before: World;
  after: World;
  /** The asset asked about (unpartitioned). */
  of: 'summary' | 'report';
  /** At most this many root causes listed (Infinity: all). */
  limit?: number;
  /** Direct causes as `category dependency [added]`. */
  causes: string[];
  /** Root causes listed, as `key[part]: categories` (keys without the prefix). */
  roots: string[];
  omitted: number;
}

const seven = points(7);
/** mesh's code changes over seven design points. */
const meshCodeChanged = {
  before: { points: seven, meshCode: 'm1' },
  after: { points: seven, meshCode: 'm2' },
};
/** A fourth design point is added to three. */
const designPointAdded = {
  before: { points: points(3), meshCode: 'm1' },
  after: { points: points(4), meshCode: 'm1' },
};
const rootsOf = (parts: readonly string[], what: string) => parts.map((p) => `mesh[${p}]: ${what}`);

const cases: Case[] = [
  {
    name: 'a fan-in over 7 stale partitions of a changed asset: 7 roots, not the 5 its cause lists',
    ...meshCodeChanged,
    of: 'summary',
    causes: ['upstream solve'],
    roots: rootsOf(seven, 'code'),
    omitted: 0,
  },
  {
    name: 'a fan-in reading the changed asset itself: 7 roots',
    ...meshCodeChanged,
    of: 'report',
    causes: ['upstream mesh'],
    roots: rootsOf(seven, 'code'),
    omitted: 0,
  },
  {
    name: 'listed up to the limit, the rest counted',
    ...meshCodeChanged,
    of: 'summary',
    limit: 3,
    causes: ['upstream solve'],
    roots: rootsOf(seven.slice(0, 3), 'code'),
    omitted: 4,
  },
  {
    name: 'a fan-in whose partition set grows: dependencies (partition added) before it is built',
    ...designPointAdded,
    of: 'report',
    causes: ['dependencies mesh [d04]', 'upstream mesh'],
    roots: ['mesh[d04]: missing'],
    omitted: 0,
  },
  {
    name: 'a fan-in two steps down from a grown set: dependencies too',
    ...designPointAdded,
    of: 'summary',
    causes: ['dependencies solve [d04]', 'upstream solve'],
    roots: ['mesh[d04]: missing', 'solve[d04]: missing'],
    omitted: 0,
  },
  {
    name: 'a fan-in whose partition set shrinks: dependencies (partition removed)',
    before: { points: points(4), meshCode: 'm1' },
    after: { points: points(3), meshCode: 'm1' },
    of: 'report',
    causes: ['dependencies mesh []'],
    roots: [],
    omitted: 0,
  },
];

function describeCause(cause: StaleCause): string {
  if (cause.category === 'code') return 'code';
  const dep = cause.dependency.slice(cause.dependency.indexOf('/') + 1);
  if (cause.category === 'dependencies') return `dependencies ${dep} [${cause.added.join(',')}]`;
  return `${cause.category} ${dep}`;
}

describe('root causes over many partitions and grown partition sets', () => {
  it.each(cases.map((c, i) => ({ ...c, prefix: `rc${i}` })))(
    '$name',
    async ({ before, after, of, limit, causes, roots, omitted, prefix }) => {
      const first = await run(database, graphOf(worldAssets(before, prefix)), {
        selection: `${prefix}/*`,
      });
      expect(first.kind).toBe('run');
      const graph = graphOf(worldAssets(after, prefix));
      const key = `${prefix}/${of}` as AssetKey;
      const report = await computeStatus(database.db, graph, [key]);
      const why = whyDocument(report, key, '', limit);
      expect(why.status).toBe('stale');
      expect(why.causes.map(describeCause)).toEqual(causes);
      expect(
        why.rootCauses.map((r) => {
          const label = `${r.key.slice(prefix.length + 1)}[${r.partition}]`;
          return `${label}: ${r.status === 'missing' ? 'missing' : r.causes.map((c) => c.category).join(' ')}`;
        }),
      ).toEqual(roots);
      expect(why.rootCausesOmitted).toBe(omitted);
    },
  );
});

describe('a fan-in over a dynamic set that was empty when it was built', () => {
  it('names the partitions added, not a new dependency', async () => {
    const cases = asset({
      key: 'rcd/cases',
      codeVersion: '1',
      partitions: dynamicPartitions('rcd_cases'),
      schema: z.number(),
      compute: () => 1,
    });
    const total = asset({
      key: 'rcd/total',
      codeVersion: '1',
      deps: { cases: allPartitions(cases) },
      schema: z.number(),
      compute: ({ inputs }) => Object.keys(inputs.cases).length,
    });
    const graph = graphOf([cases, total]);
    expect((await run(database, graph, { selection: 'rcd/*' })).kind).toBe('run');
    await addDynamicPartitions(database.db, 'rcd_cases', ['c1', 'c2']);
    const report = await computeStatus(database.db, graph, [total.key as AssetKey]);
    const why = whyDocument(report, total.key as AssetKey, '');
    expect(why.causes.map(describeCause)).toEqual(['dependencies cases [c1,c2]', 'upstream cases']);
    expect(why.causes[0]?.reason).toBe(
      'the partitions of rcd/cases read changed: 2 partitions added',
    );
  });
});
