// Freshness in the API: the `freshness` object of the asset status summary (GET /api/assets and
// GET /api/assets/{key}, null without a policy), per partition in GET /api/assets/{key}/partitions
// (with the `freshness` filter), validated against the documented schemas, on an injected clock.
import { sql } from 'kysely';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPartitions, asset, staticPartitions } from '../../src/definitions/index.js';
import type { StrataApp } from '../../src/server/index.js';
import {
  AssetDetailResponse,
  AssetGraphResponse,
  PartitionPage,
} from '../../src/server/schemas/asset-schemas.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, tempArtifacts } from '../support/engine.js';
import { bodyOf, expectError, getJson, testApp } from './server-harness.js';

const HOUR = 3_600_000;
const now = new Date('2025-06-10T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR);

const geometry = asset({
  key: 'geometry',
  codeVersion: 'g1',
  schema: z.number(),
  compute: () => 2,
  // Every day by 06:00 Berlin time (04:00Z in June), built at most 6 h before.
  freshness: { maxLag: '6h', cron: '0 6 * * *', timezone: 'Europe/Berlin' },
});
const mesh = asset({
  key: 'sim/mesh',
  deps: { geometry },
  codeVersion: 'm1',
  partitions: staticPartitions(['coarse', 'fine', 'medium']),
  schema: z.number(),
  compute: ({ inputs }) => inputs.geometry * 10,
  freshness: { maxLag: '12h', warnAfter: '8h' },
});
const summary = asset({
  key: 'summary',
  deps: { meshes: allPartitions(mesh) },
  codeVersion: 's1',
  schema: z.number(),
  compute: ({ inputs }) => Object.values(inputs.meshes).reduce((a, b) => a + b, 0),
});
const graph = graphOf([geometry, mesh, summary]);

const database = useTestDatabase();
let app: StrataApp;

/** Moves the latest materialization of (key, partition) to `at`. */
async function materializedAt(key: string, partition: string, at: Date): Promise<void> {
  await sql`update strata_internal.latest_materializations set materialized_at = ${at}
            where asset_key = ${key} and partition_key = ${partition}`.execute(database.db);
}

beforeAll(async () => {
  await run(database, graph, { artifacts: tempArtifacts() });
  await materializedAt('geometry', '', new Date('2025-06-10T03:00:00Z')); // 05:00 Berlin: passes
  await materializedAt('sim/mesh', 'coarse', hoursAgo(1)); // pass
  await materializedAt('sim/mesh', 'fine', hoursAgo(15)); // fail, overdue by 3h
  await materializedAt('sim/mesh', 'medium', hoursAgo(9)); // warn
  app = testApp(database, graph, tempArtifacts(), { now: () => now });
});
afterAll(() => app.close());

const meshFreshness = {
  state: 'fail',
  counts: { pass: 1, warn: 1, fail: 1, neverMaterialized: 0, total: 3 },
  partition: 'fine',
  overdueByMs: 3 * HOUR,
  overdueBy: 'overdue by 3h',
  deadline: hoursAgo(3).toISOString(),
  reason: '1 fail, 1 warn, 1 pass; fine: overdue by 3h: materialized 15h ago, more than maxLag 12h',
  policy: {
    maxLagMs: 12 * HOUR,
    warnAfterMs: 8 * HOUR,
    cron: null,
    timezone: null,
    description: 'maxLag 12h, warnAfter 8h',
  },
};

describe('GET /api/assets', () => {
  it('adds a freshness object to each status summary, and totals by freshness state', async () => {
    const body = bodyOf(await getJson(app, '/api/assets'), AssetGraphResponse);
    const byKey = new Map(body.nodes.map((n) => [n.key, n.status]));
    expect(byKey.get('sim/mesh')!.freshness).toEqual(meshFreshness);
    expect(byKey.get('sim/mesh')!.status).toBe('fresh');
    expect(byKey.get('geometry')!.freshness).toMatchObject({
      state: 'pass',
      partition: null,
      overdueByMs: 0,
      deadline: '2025-06-11T04:00:00.000Z',
      reason:
        'materialized 2025-06-10 05:00, next deadline 2025-06-11 06:00, in 16h (Europe/Berlin)',
      policy: { cron: '0 6 * * *', timezone: 'Europe/Berlin', maxLagMs: 6 * HOUR },
    });
    expect(byKey.get('summary')!.freshness).toBeNull();
    expect(body.totals.freshness).toEqual({ pass: 1, warn: 0, fail: 1 });
  });
});

describe('GET /api/assets/{key}', () => {
  it('has the same freshness summary, and the one partition of an unpartitioned asset', async () => {
    const meshDetail = bodyOf(await getJson(app, '/api/assets/sim%2Fmesh'), AssetDetailResponse);
    expect(meshDetail.status.freshness).toEqual(meshFreshness);
    const geometryDetail = bodyOf(await getJson(app, '/api/assets/geometry'), AssetDetailResponse);
    expect(geometryDetail.partition!.freshness).toEqual({
      state: 'pass',
      materializedAt: '2025-06-10T03:00:00.000Z',
      deadline: '2025-06-11T04:00:00.000Z',
      warnAt: null,
      overdueByMs: 0,
      overdueBy: null,
      reason:
        'materialized 2025-06-10 05:00, next deadline 2025-06-11 06:00, in 16h (Europe/Berlin)',
    });
    const summaryDetail = bodyOf(await getJson(app, '/api/assets/summary'), AssetDetailResponse);
    expect(summaryDetail.status.freshness).toBeNull();
    expect(summaryDetail.partition!.freshness).toBeNull();
  });

  it('follows the clock: after the next 06:00 Berlin deadline the cron policy fails', async () => {
    const late = testApp(database, graph, tempArtifacts(), {
      now: () => new Date('2025-06-11T04:20:00Z'),
    });
    try {
      const detail = bodyOf(await getJson(late, '/api/assets/geometry'), AssetDetailResponse);
      expect(detail.status.freshness).toMatchObject({
        state: 'fail',
        overdueByMs: 20 * 60_000,
        overdueBy: 'overdue by 20m',
        deadline: '2025-06-11T04:00:00.000Z',
      });
    } finally {
      await late.close();
    }
  });
});

describe('GET /api/assets/{key}/partitions', () => {
  it('gives each partition its freshness, and filters by freshness state', async () => {
    const page = bodyOf(await getJson(app, '/api/assets/sim%2Fmesh/partitions'), PartitionPage);
    expect(page.items.map((p) => [p.partition, p.status, p.freshness?.state])).toEqual([
      ['coarse', 'fresh', 'pass'],
      ['fine', 'fresh', 'fail'],
      ['medium', 'fresh', 'warn'],
    ]);
    expect(page.items[2]!.freshness).toEqual({
      state: 'warn',
      materializedAt: hoursAgo(9).toISOString(),
      deadline: new Date(now.getTime() + 3 * HOUR).toISOString(),
      warnAt: hoursAgo(1).toISOString(),
      overdueByMs: 0,
      overdueBy: null,
      reason: 'materialized 9h ago, more than warnAfter 8h; deadline in 3h (maxLag 12h)',
    });
    const failing = bodyOf(
      await getJson(app, '/api/assets/sim%2Fmesh/partitions?freshness=fail'),
      PartitionPage,
    );
    expect(failing.items.map((p) => p.partition)).toEqual(['fine']);
    const plain = bodyOf(await getJson(app, '/api/assets/summary/partitions'), PartitionPage);
    expect(plain.items[0]!.freshness).toBeNull();
  });

  it('refuses a freshness filter on an asset without a policy, naming the field', async () => {
    const error = expectError(
      await getJson(app, '/api/assets/summary/partitions?freshness=fail'),
      400,
      'freshness',
    );
    expect(error.message).toBe(
      'invalid query parameter freshness: asset summary has no freshness policy',
    );
    expectError(
      await getJson(app, '/api/assets/sim%2Fmesh/partitions?freshness=late'),
      400,
      'freshness',
    );
  });
});
