// Statuses judged in bulk (planner/bulk) are the statuses of the full in-memory walk: for each
// situation below, every asset's counts, newest materialization and main cause agree, and the
// partitions listed (the stale and blocked) carry the walk's exact statuses and causes. The
// threshold is lowered so that a 3 x 3 day x region set is judged in bulk.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  asset,
  multiPartitions,
  staticPartitions,
  type AnyAssetDefinition,
  type AssetKey,
} from '../../src/definitions/index.js';
import type { AssetGraph } from '../../src/graph/index.js';
import { computeStatus, summarizeAsset, type StatusReport } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';

const database = useTestDatabase();

/** The knobs of the world: raw (day x region) -> clean (identity) -> priced (identity, + rates). */
interface World {
  days: string[];
  rawCode: string;
  raw: Record<string, number>;
  rate: number;
}

const initial = (): World => ({ days: ['d1', 'd2', 'd3'], rawCode: '1', raw: {}, rate: 2 });

function worldAssets(w: World, prefix: string): AnyAssetDefinition[] {
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
  const clean = asset({
    key: k('clean'),
    codeVersion: '1',
    partitions,
    deps: { raw },
    schema: z.number(),
    compute: ({ inputs }) => inputs.raw * 2,
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
  return [raw, clean, rates, priced];
}

interface Situation {
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
}

const situations: Situation[] = [
  {
    name: 'everything fresh',
    arrange: async (_w, materialize) => materialize(),
    bulk: ['raw', 'clean', 'priced'],
  },
  {
    name: 'a code change of the root makes everything below stale',
    arrange: async (w, materialize) => {
      await materialize();
      w.rawCode = '2';
    },
    bulk: ['raw', 'clean', 'priced'],
  },
  {
    name: 'new data in two partitions of the root',
    arrange: async (w, materialize) => {
      await materialize();
      w.raw['d1|r1'] = 5;
      w.raw['d3|r2'] = 7;
      await materialize('*/raw', ['d1|r1', 'd3|r2']);
    },
    bulk: ['raw', 'clean', 'priced'],
  },
  {
    name: 'partitions never materialized, and readers of missing partitions',
    arrange: async (_w, materialize) => {
      await materialize('*/raw', ['d1|r1', 'd2|r2', 'd2|r3']);
      await materialize('*/clean', ['d2|r2']);
    },
    bulk: ['raw', 'clean', 'priced'],
  },
  {
    name: 'the unpartitioned dependency changed',
    arrange: async (w, materialize) => {
      await materialize();
      w.rate = 3;
      await materialize('*/rates');
    },
    bulk: ['raw', 'clean', 'priced'],
  },
  {
    name: 'the set grew by a day',
    arrange: async (w, materialize) => {
      await materialize();
      w.days = ['d1', 'd2', 'd3', 'd4'];
    },
    bulk: ['raw', 'clean', 'priced'],
  },
  {
    name: 'the set shrank: rows of a removed day are not partitions',
    arrange: async (w, materialize) => {
      w.raw['d3|r1'] = 9;
      await materialize();
      w.days = ['d1', 'd2'];
      w.rawCode = '2';
    },
    bulk: ['raw', 'clean', 'priced'],
  },
  {
    name: 'a reader judged in memory keeps what it reads in memory',
    arrange: async (w, materialize) => {
      await materialize();
      w.raw['d2|r2'] = 4;
      await materialize('*/raw', ['d2|r2']);
    },
    candidates: ['raw', 'clean', 'rates'],
    bulk: [],
  },
];

/** What a summary says of an asset, listed partitions sorted. */
function summaryOf(report: StatusReport, key: AssetKey) {
  const { partitions, partitionsListed: _listed, ...rest } = summarizeAsset(report, key);
  const listed = partitions
    .filter((p) => p.status.status === 'stale' || p.status.status === 'blocked')
    .map((p) => ({ partition: p.partition, status: p.status }))
    .sort((a, b) => (a.partition < b.partition ? -1 : 1));
  return { ...rest, listed };
}

describe('statuses judged in bulk', () => {
  it.each(situations.map((s, i) => ({ ...s, prefix: `bulk${i}` })))(
    '$name',
    async ({ arrange, candidates, bulk, prefix }) => {
      const w = initial();
      const graph = (): AssetGraph => graphOf(worldAssets(w, prefix));
      await arrange(w, async (selection, partitions) => {
        await run(database, graph(), {
          selection: selection?.replace('*', prefix) ?? `${prefix}/*`,
          ...(partitions === undefined ? {} : { partitions }),
        });
      });
      const g = graph();
      const keys = g.order;
      const now = new Date();
      const walked = await computeStatus(database.db, g, keys, now);
      const judged = await computeStatus(database.db, g, keys, now, {
        bulk: candidates?.map((c) => `${prefix}/${c}` as AssetKey) ?? keys,
        bulkMinPartitions: 5,
      });
      expect([...(judged.bulk?.keys() ?? [])].sort()).toEqual(
        bulk.map((b) => `${prefix}/${b}`).sort(),
      );
      for (const key of keys) expect(summaryOf(judged, key)).toEqual(summaryOf(walked, key));
      for (const key of judged.bulk?.keys() ?? [])
        expect(summarizeAsset(judged, key).partitionsListed).toBe('materialized-not-fresh');
    },
  );
});
