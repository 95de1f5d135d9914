// `strata daemon --once` with nothing to do names each automated asset that fails its freshness
// policy and that its automation will not rebuild for age (eager, on a cron), and what would;
// 'freshness' automation and passing policies get no line.
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshnessHints } from '../../src/cli/freshness-hint.js';
import { asset, defineAssets, type Duration } from '../../src/definitions/index.js';
import { buildAssetGraph } from '../../src/graph/index.js';
import { useTestDatabase } from '../support/database.js';
import { insertRun, recordMaterialization } from './cli-harness.js';

const database = useTestDatabase();
const HOUR = 3_600_000;
const now = new Date('2026-06-10T12:00:00Z');

const made = (
  key: string,
  automation: 'eager' | 'freshness' | { onCron: string },
  maxLag: Duration,
) =>
  asset({
    key,
    schema: z.number(),
    codeVersion: 'v1',
    automation,
    freshness: { maxLag },
    compute: () => 1,
  });

const graph = buildAssetGraph(
  defineAssets([
    made('old_eager', 'eager', '1h'),
    made('old_cron', { onCron: '0 0 * * *' }, '1h'),
    made('old_freshness', 'freshness', '1h'),
    made('young_eager', 'eager', '6h'),
  ]),
);

beforeAll(async () => {
  const runId = await insertRun(database.db);
  for (const key of ['old_eager', 'old_cron', 'old_freshness', 'young_eager']) {
    await recordMaterialization(database.db, runId, {
      key,
      codeVersion: 'v1',
      dataVersion: `${key}-1`,
      finishedAt: new Date(now.getTime() - 2 * HOUR),
    });
  }
});

describe('freshnessHints', () => {
  it('names the failing assets no automation rebuilds for age', async () => {
    const hints = await freshnessHints(database.db, graph, graph.order, now);
    expect(hints).toEqual([
      expect.stringMatching(/^old_cron fails .* automation 'on-cron' does not rebuild for age/),
      expect.stringMatching(
        /^old_eager fails its freshness policy \(overdue by 1h\), and its automation 'eager' does not rebuild for age: run `strata materialize old_eager --force`, or declare automation: 'freshness'$/,
      ),
    ]);
  });

  it('says nothing without a failing policy', async () => {
    const early = new Date(now.getTime() - 1.5 * HOUR);
    expect(await freshnessHints(database.db, graph, graph.order, early)).toEqual([]);
  });
});
