// The world the status equivalence tests share (bulk-status, restricted-status): raw and an
// observed feed (day x region) -> clean (identity on both) -> priced (identity, and the
// unpartitioned rates), and situations that change it; `arrangeSituation` brings a fresh copy
// of the world, under its own key prefix, into one.
import { z } from 'zod';
import {
  asset,
  multiPartitions,
  sourceAsset,
  staticPartitions,
  type AnyAssetDefinition,
} from '../../src/definitions/index.js';
import type { AssetGraph } from '../../src/graph/index.js';
import type { TestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';

/**
 * The knobs of the world: raw (day x region) and feed (observed, day x region) -> clean
 * (identity on both) -> priced (identity, and the unpartitioned rates).
 */
export interface World {
  days: string[];
  rawCode: string;
  raw: Record<string, number>;
  feed: Record<string, number>;
  rate: number;
}

export const initial = (): World => ({
  days: ['d1', 'd2', 'd3'],
  rawCode: '1',
  raw: {},
  feed: {},
  rate: 2,
});

export function worldAssets(w: World, prefix: string): AnyAssetDefinition[] {
  const k = (name: string) => `${prefix}/${name}`;
  const partitions = multiPartitions({
    day: staticPartitions(w.days),
    region: staticPartitions(['r1', 'r2', 'r3']),
  });
  const raw = asset({
    key: k('raw'),
    codeVersion: w.rawCode,
    partitions,
    schema: z.number(),
    compute: ({ partitionKey }) => w.raw[partitionKey!] ?? 1,
  });
  const feed = sourceAsset({
    key: k('feed'),
    partitions,
    schema: z.number(),
    observe: ({ partitionKey }) => w.feed[partitionKey!] ?? 1,
  });
  const clean = asset({
    key: k('clean'),
    codeVersion: '1',
    partitions,
    deps: { raw, feed },
    schema: z.number(),
    compute: ({ inputs }) => inputs.raw * 2 + inputs.feed,
  });
  const rates = asset({
    key: k('rates'),
    codeVersion: '1',
    schema: z.number(),
    compute: () => w.rate,
  });
  const priced = asset({
    key: k('priced'),
    codeVersion: '1',
    partitions,
    deps: { clean, rates },
    schema: z.number(),
    compute: ({ inputs }) => inputs.clean * inputs.rates,
  });
  return [raw, feed, clean, rates, priced];
}

export interface Situation {
  name: string;
  /** Runs and changes after which statuses are compared. */
  arrange: (
    w: World,
    materialize: (selection?: string, partitions?: string[]) => Promise<void>,
  ) => Promise<void>;
  /** Which assets may be counted instead of listed (default: all). */
  candidates?: string[];
  /** Assets expected to be judged in bulk. */
  bulk: string[];
  /** Stale and missing partitions over all assets: what makes the situation what it says. */
  expected: { stale: number; missing: number };
}

export const situations: Situation[] = [
  {
    name: 'everything fresh',
    arrange: async (_w, materialize) => materialize(),
    bulk: ['raw', 'feed', 'clean', 'priced'],
    expected: { stale: 0, missing: 0 },
  },
  {
    name: 'a code change of the root makes everything below stale',
    arrange: async (w, materialize) => {
      await materialize();
      w.rawCode = '2';
    },
    bulk: ['raw', 'feed', 'clean', 'priced'],
    expected: { stale: 27, missing: 0 },
  },
  {
    name: 'new data in two partitions of the root',
    arrange: async (w, materialize) => {
      await materialize();
      w.raw['d1|r1'] = 5;
      w.raw['d3|r2'] = 7;
      await materialize('*/raw', ['d1|r1', 'd3|r2']);
    },
    bulk: ['raw', 'feed', 'clean', 'priced'],
    expected: { stale: 4, missing: 0 },
  },
  {
    name: 'partitions never materialized, and readers of missing partitions',
    arrange: async (_w, materialize) => {
      await materialize('*/raw', ['d1|r1', 'd2|r2', 'd2|r3']);
      await materialize('*/clean', ['d2|r2']);
    },
    bulk: ['raw', 'feed', 'clean', 'priced'],
    expected: { stale: 0, missing: 24 },
  },
  {
    name: 'a new observation of one partition of the source',
    arrange: async (w, materialize) => {
      await materialize();
      w.feed['d2|r1'] = 3;
      await materialize('*/feed', ['d2|r1']);
    },
    bulk: ['raw', 'feed', 'clean', 'priced'],
    expected: { stale: 2, missing: 0 },
  },
  {
    name: 'the unpartitioned dependency changed',
    arrange: async (w, materialize) => {
      await materialize();
      w.rate = 3;
      await materialize('*/rates');
    },
    bulk: ['raw', 'feed', 'clean', 'priced'],
    expected: { stale: 9, missing: 0 },
  },
  {
    name: 'the set grew by a day',
    arrange: async (w, materialize) => {
      await materialize();
      w.days = ['d1', 'd2', 'd3', 'd4'];
    },
    bulk: ['raw', 'feed', 'clean', 'priced'],
    expected: { stale: 0, missing: 12 },
  },
  {
    name: 'the set shrank: rows of a removed day are not partitions',
    arrange: async (w, materialize) => {
      w.raw['d3|r1'] = 9;
      await materialize();
      w.days = ['d1', 'd2'];
      w.rawCode = '2';
    },
    bulk: ['raw', 'feed', 'clean', 'priced'],
    expected: { stale: 18, missing: 0 },
  },
  {
    name: 'a reader judged in memory keeps what it reads in memory',
    arrange: async (w, materialize) => {
      await materialize();
      w.raw['d2|r2'] = 4;
      await materialize('*/raw', ['d2|r2']);
    },
    candidates: ['raw', 'feed', 'clean', 'rates'],
    bulk: [],
    expected: { stale: 2, missing: 0 },
  },
];

/** Arranges `situation` under `prefix`; returns the graph of the world as it then is. */
export async function arrangeSituation(
  database: TestDatabase,
  situation: Situation,
  prefix: string,
): Promise<AssetGraph> {
  const w = initial();
  const graph = (): AssetGraph => graphOf(worldAssets(w, prefix));
  await situation.arrange(w, async (selection, partitions) => {
    await run(database, graph(), {
      // A selection re-materializes what it names, changed or not (roots are not re-run).
      ...(selection === undefined
        ? { selection: `${prefix}/*` }
        : { selection: selection.replace('*', prefix), force: true }),
      ...(partitions === undefined ? {} : { partitions }),
    });
  });
  return graph();
}
