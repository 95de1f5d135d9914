// The partitioned graph of the backfill tests: raw[p] -> clean[p] -> summary (an unpartitioned
// fan-in of every clean partition). Computes log their completion order, can fail chosen raw
// partitions, and can be slowed so a driver is stopped mid-backfill. Also imported by the driver
// process of the crash test (test/fixtures/backfill-driver.ts), so code versions match.
import { z } from 'zod';
import { allPartitions, asset, staticPartitions } from '../../src/definitions/index.js';
import { graphOf } from '../support/engine.js';

/** p01..p08. */
export const PARTITIONS = Array.from({ length: 8 }, (_, i) => `p0${i + 1}`);

/** What the computes do, set by each test. */
export const behaviour = {
  /** raw partitions that fail. */
  failing: new Set<string>(),
  /** Milliseconds each compute sleeps. */
  delayMs: Number(process.env.BACKFILL_TEST_DELAY_MS ?? 0),
  /** `key[partition]` in order of completion. */
  completed: [] as string[],
};

async function work(key: string, partition: string | undefined): Promise<void> {
  if (behaviour.delayMs > 0) await new Promise((r) => setTimeout(r, behaviour.delayMs));
  behaviour.completed.push(partition === undefined ? key : `${key}[${partition}]`);
}

const parts = staticPartitions(PARTITIONS);

const raw = asset({
  key: 'raw',
  partitions: parts,
  schema: z.string(),
  compute: async (ctx) => {
    if (behaviour.failing.has(ctx.partitionKey!)) throw new Error(`raw ${ctx.partitionKey} broke`);
    await work('raw', ctx.partitionKey);
    return `raw ${ctx.partitionKey}`;
  },
});

const clean = asset({
  key: 'clean',
  deps: { raw },
  partitions: parts,
  schema: z.string(),
  compute: async (ctx) => (await work('clean', ctx.partitionKey), `clean ${ctx.inputs.raw}`),
});

const summary = asset({
  key: 'summary',
  deps: { clean: allPartitions(clean) },
  schema: z.number(),
  compute: async (ctx) => (await work('summary', undefined), Object.keys(ctx.inputs.clean).length),
});

/** The graph of the tests. */
export const backfillGraph = graphOf([raw, clean, summary]);
