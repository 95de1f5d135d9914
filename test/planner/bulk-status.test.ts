// Statuses judged in bulk (planner/bulk) are the statuses of the full in-memory walk: for each
// situation (status-situations.ts), every asset's counts, newest materialization and main cause
// agree, and the partitions listed (the stale and blocked) carry the walk's exact statuses and
// causes. The threshold is lowered so that a 3 x 3 day x region set is judged in bulk.
import { describe, expect, it } from 'vitest';
import type { AssetKey } from '../../src/definitions/index.js';
import { computeStatus, summarizeAsset, type StatusReport } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { arrangeSituation, situations } from './status-situations.js';

const database = useTestDatabase();

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
  it.each(situations.map((s, i) => ({ ...s, prefix: `bulk${i}` })))('$name', async (situation) => {
    const { candidates, bulk, expected, prefix } = situation;
    const g = await arrangeSituation(database, situation, prefix);
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
    const totals = { stale: 0, missing: 0 };
    for (const key of keys) {
      const { counts } = summarizeAsset(walked, key);
      totals.stale += counts.stale;
      totals.missing += counts.missing;
    }
    expect(totals).toEqual(expected);
    for (const key of judged.bulk?.keys() ?? [])
      expect(summarizeAsset(judged, key).partitionsListed).toBe('materialized-not-fresh');
  });
});
