// Statuses restricted to some partitions (StatusOptions.partitions, planner/needed-partitions.ts)
// judge exactly the partitions asked for and, upstream, those they read, each with the status
// and causes the full walk gives it; a plan of a few partitions (`key[p1,p2]`) planned from them
// has the steps (or the refusal) a plan from the full statuses has. Table-driven over the situations of
// status-situations.ts.
import { describe, expect, it } from 'vitest';
import type { AssetKey, PartitionKey } from '../../src/definitions/index.js';
import { computeStatus, createPlan } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { arrangeSituation, situations } from './status-situations.js';

const database = useTestDatabase();

describe('statuses restricted to some partitions', () => {
  it.each(situations.map((s, i) => ({ ...s, prefix: `restricted${i}` })))(
    '$name',
    async (situation) => {
      const { prefix } = situation;
      const k = (name: string) => `${prefix}/${name}` as AssetKey;
      const g = await arrangeSituation(database, situation, prefix);
      const now = new Date();
      // priced at two partitions (one of a day that may be gone), clean at a third.
      const requested = new Map<AssetKey, PartitionKey[]>([
        [k('priced'), ['d1|r1', 'd3|r2']],
        [k('clean'), ['d2|r3']],
      ]);
      const restricted = await computeStatus(database.db, g, requested.keys(), now, {
        partitions: requested,
      });
      const walked = await computeStatus(database.db, g, g.order, now);
      const inSet = (key: AssetKey, partitions: string[]) =>
        partitions.filter((p) => walked.partitionSets.get(key)!.keys.includes(p)).sort();
      const expectedKeys = new Map<AssetKey, string[]>([
        [k('priced'), inSet(k('priced'), ['d1|r1', 'd3|r2'])],
        [k('clean'), inSet(k('clean'), ['d1|r1', 'd3|r2', 'd2|r3'])],
        [k('raw'), inSet(k('raw'), ['d1|r1', 'd3|r2', 'd2|r3'])],
        [k('feed'), inSet(k('feed'), ['d1|r1', 'd3|r2', 'd2|r3'])],
        [k('rates'), ['']],
      ]);
      for (const [key, partitions] of expectedKeys) {
        const statuses = restricted.statuses.get(key)!;
        expect({ key, partitions: [...statuses.keys()].sort() }).toEqual({ key, partitions });
        for (const partition of partitions)
          expect({ key, partition, status: statuses.get(partition) }).toEqual({
            key,
            partition,
            status: walked.statuses.get(key)!.get(partition),
          });
      }
      const selection = `${k('priced')}[d1|r1,d2|r2], ${k('clean')}[d2|r3]`;
      // The same steps, or the same refusal (an input never materialized and not selected).
      const outcome = (report?: typeof walked) =>
        createPlan(database.db, g, selection, report === undefined ? {} : { report }).then(
          (plan) => ({
            steps: plan.steps.map(({ key, partition, status, upstream }) => ({
              key,
              partition,
              status,
              upstream,
            })),
            fresh: plan.freshCount,
          }),
          (error: Error) => ({ refused: error.message }),
        );
      expect(await outcome()).toEqual(await outcome(walked));
    },
  );
});
