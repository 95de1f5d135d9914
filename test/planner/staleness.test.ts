// Table-driven staleness semantics: each cause, propagation to root causes, early cutoff,
// reuse and partition mappings, checked on plans and on what a run then actually computes.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  asset,
  staticPartitions,
  type AnyAssetDefinition,
} from '../../src/definitions/index.js';
import { createPlan, rootCauses, computeStatus } from '../../src/planner/index.js';
import type { AssetKey } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses } from '../support/engine.js';

const database = useTestDatabase();

/** The knobs of a small world: a -> b -> c, plus p (partitioned x,y) -> q (identity) -> r (fan-in), s (single from a). */
interface World {
  aCode: string;
  aValue: number;
  bCode: string;
  bOffset: number;
  cReadsA: boolean;
  pValues: Record<string, number>;
}

const initial: World = {
  aCode: 'a1',
  aValue: 1,
  bCode: 'b1',
  bOffset: 0,
  cReadsA: false,
  pValues: { x: 1, y: 2 },
};

function worldAssets(w: World, prefix: string): AnyAssetDefinition[] {
  const k = (name: string) => `${prefix}/${name}`;
  const parts = staticPartitions(['x', 'y']);
  const a = asset({
    key: k('a'),
    codeVersion: w.aCode,
    schema: z.number(),
    compute: () => w.aValue,
  });
  const b = asset({
    key: k('b'),
    codeVersion: w.bCode,
    deps: { a },
    schema: z.number(),
    compute: ({ inputs }) => inputs.a * 10 + w.bOffset,
  });
  const c = w.cReadsA
    ? asset({
        key: k('c'),
        codeVersion: 'c1',
        deps: { b, a },
        schema: z.number(),
        compute: ({ inputs }) => inputs.b + inputs.a,
      })
    : asset({
        key: k('c'),
        codeVersion: 'c1',
        deps: { b },
        schema: z.number(),
        compute: ({ inputs }) => inputs.b + 1,
      });
  const p = asset({
    key: k('p'),
    codeVersion: 'p1',
    partitions: parts,
    schema: z.number(),
    compute: ({ partitionKey }) => w.pValues[partitionKey!]!,
  });
  const q = asset({
    key: k('q'),
    codeVersion: 'q1',
    partitions: parts,
    deps: { p },
    schema: z.number(),
    compute: ({ inputs }) => inputs.p * 2,
  });
  const r = asset({
    key: k('r'),
    codeVersion: 'r1',
    deps: { q: allPartitions(q) },
    schema: z.number(),
    compute: ({ inputs }) => Object.values(inputs.q).reduce((x, y) => x + y, 0),
  });
  const s = asset({
    key: k('s'),
    codeVersion: 's1',
    partitions: parts,
    deps: { a },
    schema: z.number(),
    compute: ({ inputs, partitionKey }) => inputs.a + partitionKey!.length,
  });
  return [a, b, c, p, q, r, s];
}

interface Case {
  name: string;
  /** Changes materialized before planning: the world changes, then `force` is run with --force. */
  setup?: Array<{ change: Partial<World>; force: string }>;
  change: Partial<World>;
  /** Planned steps as `key[part]: status causes...` (keys without the prefix). */
  plan: string[];
  /** Step outcomes of the run after the change. */
  outcome: string[];
  /** Optional: root causes of one asset partition, as `key[part]: categories`. */
  roots?: { of: string; partition?: string; expected: string[] };
}

const cases: Case[] = [
  {
    name: 'code version change: the asset is stale (code), dependants stale (upstream); same output cuts off',
    change: { bCode: 'b2' },
    plan: ['b: stale code', 'c: stale upstream'],
    outcome: ['b: succeeded', 'c: fresh'],
    roots: { of: 'c', expected: ['b: code'] },
  },
  {
    name: 'code change with a new output propagates: dependants recompute',
    change: { bCode: 'b2', bOffset: 5 },
    plan: ['b: stale code', 'c: stale upstream'],
    outcome: ['b: succeeded', 'c: succeeded'],
  },
  {
    name: 'new dependency: stale with cause dependencies',
    change: { cReadsA: true },
    plan: ['c: stale dependencies'],
    outcome: ['c: succeeded'],
  },
  {
    name: 'root change propagates to every dependant; root causes found upstream',
    change: { aCode: 'a2', aValue: 2 },
    plan: [
      'a: stale code',
      'b: stale upstream',
      'c: stale upstream',
      's[x]: stale upstream',
      's[y]: stale upstream',
    ],
    outcome: ['a: succeeded', 'b: succeeded', 'c: succeeded', 's[x]: succeeded', 's[y]: succeeded'],
    roots: { of: 's', partition: 'x', expected: ['a: code'] },
  },
  {
    name: 'a root with unchanged code is fresh even if its function would now return something else',
    change: { pValues: { x: 1, y: 3 } },
    plan: [],
    outcome: [],
  },
  {
    name: 'identity mapping: new data in one upstream partition makes only that partition stale (data), the fan-in upstream',
    setup: [{ change: { pValues: { x: 1, y: 3 } }, force: 'p[y]' }],
    change: {},
    plan: ['q[y]: stale data', 'r: stale upstream'],
    outcome: ['q[y]: succeeded', 'r: succeeded'],
    roots: { of: 'r', expected: ['q[y]: data'] },
  },
  {
    name: 'fan-in: one partition of the dependency has new data',
    setup: [{ change: { pValues: { x: 1, y: 3 } }, force: 'p[y],q[y]' }],
    change: {},
    plan: ['r: stale data'],
    outcome: ['r: succeeded'],
  },
  {
    name: 'single mapping: every partition reads the one upstream value',
    setup: [{ change: { aValue: 7 }, force: 'a' }],
    change: {},
    plan: ['b: stale data', 'c: stale upstream', 's[x]: stale data', 's[y]: stale data'],
    outcome: ['b: succeeded', 'c: succeeded', 's[x]: succeeded', 's[y]: succeeded'],
  },
  {
    name: 'reverting a change reuses the earlier materializations instead of computing',
    setup: [{ change: { aCode: 'a2', aValue: 2 }, force: '' }],
    change: { aCode: 'a1', aValue: 1 },
    plan: [
      'a: stale code',
      'b: stale upstream',
      'c: stale upstream',
      's[x]: stale upstream',
      's[y]: stale upstream',
    ],
    outcome: ['a: reused', 'b: reused', 'c: reused', 's[x]: reused', 's[y]: reused'],
  },
];

function describePlanStep(
  step: { key: string; partition: string; status: string; causes: readonly { category: string }[] },
  prefix: string,
): string {
  const key = step.key.slice(prefix.length + 1);
  const label = step.partition === '' ? key : `${key}[${step.partition}]`;
  const categories = [...new Set(step.causes.map((c) => c.category))];
  return [`${label}: ${step.status}`, ...categories].join(' ');
}

function stripPrefix(lines: string[], prefix: string): string[] {
  return lines.map((line) => line.slice(prefix.length + 1)).sort();
}

describe('staleness semantics', () => {
  it.each(cases.map((c, i) => ({ ...c, prefix: `w${i}` })))(
    '$name',
    async ({ setup, change, plan, outcome, roots, prefix }) => {
      const first = await run(database, graphOf(worldAssets(initial, prefix)), {
        selection: `${prefix}/*`,
      });
      expect(first.kind).toBe('run');
      let world = initial;
      for (const step of setup ?? []) {
        world = { ...world, ...step.change };
        const selection =
          step.force === ''
            ? `${prefix}/*`
            : step.force
                .split(',')
                .map((term) => `${prefix}/${term}`)
                .join(',');
        const forced = await run(database, graphOf(worldAssets(world, prefix)), {
          selection,
          force: step.force !== '',
        });
        if (forced.kind === 'run') expect(forced.summary.status).toBe('succeeded');
      }
      const after = graphOf(worldAssets({ ...world, ...change }, prefix));
      const planned = await createPlan(database.db, after, `${prefix}/*`);
      expect(planned.steps.map((s) => describePlanStep(s, prefix)).sort()).toEqual(
        [...plan].sort(),
      );
      if (roots) {
        const key = `${prefix}/${roots.of}` as AssetKey;
        const report = await computeStatus(database.db, after, [key]);
        const found = rootCauses(report, key, roots.partition ?? '').map((r) => {
          const label = r.key.slice(prefix.length + 1) + (r.partition ? `[${r.partition}]` : '');
          return `${label}: ${r.status === 'missing' ? 'missing' : r.causes.map((c) => c.category).join(' ')}`;
        });
        expect(found).toEqual(roots.expected);
      }
      const second = await run(database, after, { selection: `${prefix}/*` });
      expect(stripPrefix(stepStatuses(second), prefix)).toEqual([...outcome].sort());
    },
  );
});
