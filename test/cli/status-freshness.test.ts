// Freshness in `strata status` (the FRESHNESS column, --json, --check-freshness) and in
// `strata why` (the policy's verdict and what to rebuild to meet it), on a fixture graph with
// policies (sim/mesh: maxLag 12h; summary: maxLag 6h, warnAfter 4h) and an injected clock.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { insertRun, recordMaterialization, REPO_ROOT, runCli } from './cli-harness.js';

const FRESHNESS_ASSETS = path.join(REPO_ROOT, 'test/fixtures/cli/freshness-assets.ts');
const HOUR = 3_600_000;
const now = new Date('2025-06-10T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR);
const later = (hours: number) => new Date(now.getTime() + hours * HOUR);

const database = useTestDatabase();
const run = (at: Date, ...argv: string[]) =>
  runCli([...argv, '--definitions', FRESHNESS_ASSETS], { databaseUrl: database.url, now: at });
const json = async (at: Date, ...argv: string[]): Promise<unknown> => {
  const result = await run(at, ...argv, '--json');
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
};

let geometryId: number;
let coarseId: number;
let fineId: number;

beforeAll(async () => {
  const db = database.db;
  const runId = await insertRun(db);
  geometryId = await recordMaterialization(db, runId, {
    key: 'geometry',
    codeVersion: 'g1',
    dataVersion: 'geo-1',
    finishedAt: hoursAgo(16),
  });
  const geometry = [{ inputName: 'geometry', id: geometryId }];
  fineId = await recordMaterialization(db, runId, {
    key: 'sim/mesh',
    partition: 'fine',
    codeVersion: 'm1',
    dataVersion: 'mesh-f',
    inputs: geometry,
    finishedAt: hoursAgo(15),
  });
  coarseId = await recordMaterialization(db, runId, {
    key: 'sim/mesh',
    partition: 'coarse',
    codeVersion: 'm1',
    dataVersion: 'mesh-c',
    inputs: geometry,
    finishedAt: hoursAgo(1),
  });
  await recordMaterialization(db, runId, {
    key: 'summary',
    codeVersion: 's1',
    dataVersion: 'sum-1',
    inputs: [
      { inputName: 'meshes', id: coarseId },
      { inputName: 'meshes', id: fineId },
    ],
    finishedAt: hoursAgo(0.5),
  });
});

describe('strata status', () => {
  it('shows a FRESHNESS column and the policies in the footer; a failing policy exits 0', async () => {
    const result = await run(now, 'status');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'ASSET     STATUS       MATERIALIZED  FRESHNESS                           CAUSE',
        'geometry  fresh        16h ago',
        'sim/mesh  all 2 fresh  1h ago        1 fail, 1 pass of 2: overdue by 3h',
        'summary   fresh        30m ago       pass',
        '',
        '3 assets: 3 fresh (4 partitions: 4 fresh)',
        '2 freshness policies: 1 fail, 1 pass',
        '',
      ].join('\n'),
    );
  });

  it('--check-freshness exits 1 when a policy fails, naming it on stderr', async () => {
    const failing = await run(now, 'status', '--check-freshness');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toBe(
      'freshness check failed: 1 of 2 policies fail: sim/mesh[fine] overdue by 3h\n',
    );
    const passing = await run(now, 'status', 'summary', '--check-freshness');
    expect(passing.code).toBe(0);
    expect(passing.stderr).toBe('');
    const none = await run(now, 'status', 'geometry', '--check-freshness');
    expect(none.code).toBe(0);
    expect(none.stderr).toBe(
      'freshness check: no asset in selection "geometry" has a freshness policy\n',
    );
  });

  it('warns past warnAfter, with the time left', async () => {
    const result = await run(later(4), 'status', 'summary', '--check-freshness');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^summary +fresh +4h ago +warn: due in 1h *$/m);
    expect(result.stdout).toContain('1 freshness policy: 1 warn');
  });

  it('--json has a freshness object per asset and partition (null without a policy)', async () => {
    const status = (await json(now, 'status')) as {
      assets: Record<string, unknown>[];
      totals: Record<string, unknown>;
    };
    const [geometry, mesh, summary] = status.assets;
    expect(geometry!.freshness).toBeNull();
    expect(mesh!.freshness).toEqual({
      state: 'fail',
      counts: { pass: 1, warn: 0, fail: 1, neverMaterialized: 0, total: 2 },
      partition: 'fine',
      overdueByMs: 3 * HOUR,
      overdueBy: 'overdue by 3h',
      deadline: hoursAgo(3).toISOString(),
      reason: '1 fail, 1 pass; fine: overdue by 3h: materialized 15h ago, more than maxLag 12h',
      policy: {
        maxLagMs: 12 * HOUR,
        warnAfterMs: null,
        cron: null,
        timezone: null,
        description: 'maxLag 12h',
      },
    });
    expect(mesh!.partitions).toEqual([
      expect.objectContaining({
        partition: 'coarse',
        freshness: {
          state: 'pass',
          materializedAt: hoursAgo(1).toISOString(),
          deadline: later(11).toISOString(),
          warnAt: null,
          overdueByMs: 0,
          overdueBy: null,
          reason: 'materialized 1h ago, deadline in 11h (maxLag 12h)',
        },
      }),
      expect.objectContaining({
        partition: 'fine',
        freshness: expect.objectContaining({ state: 'fail', overdueByMs: 3 * HOUR }),
      }),
    ]);
    expect(summary!.freshness).toMatchObject({
      state: 'pass',
      partition: null,
      deadline: later(5.5).toISOString(),
    });
    expect(status.totals.freshness).toEqual({ pass: 1, warn: 0, fail: 1 });
  });
});

describe('strata why', () => {
  it('says a fresh partition fails its policy, and that only it must be rebuilt', async () => {
    const result = await run(now, 'why', 'sim/mesh[fine]');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `sim/mesh[fine] is fresh (materialized 15h ago as #${fineId}), but it fails its freshness policy.`,
        '',
        'Freshness (maxLag 12h): fail, overdue by 3h: materialized 15h ago, more than maxLag 12h',
        'To meet it, rebuild (in order):',
        '  - sim/mesh[fine] is overdue by 3h (its inputs are unchanged: rebuild it with --force)',
        '',
      ].join('\n'),
    );
    const passing = await run(now, 'why', 'summary');
    expect(passing.stdout).toContain('summary is fresh (materialized 30m ago as');
    expect(passing.stdout).toContain(': nothing to do.');
    expect(passing.stdout).toContain(
      'Freshness (maxLag 6h, warnAfter 4h): pass, materialized 30m ago, deadline in 5h 30m (maxLag 6h)',
    );
    const plain = await run(now, 'why', 'geometry');
    expect(plain.stdout).not.toContain('Freshness');
  });

  it('names the stale partitions upstream that an overdue one needs', async () => {
    // geometry changes: both meshes become stale (data), summary stale upstream.
    await recordMaterialization(database.db, await insertRun(database.db), {
      key: 'geometry',
      codeVersion: 'g1',
      dataVersion: 'geo-2',
      finishedAt: hoursAgo(0.2),
    });
    const why = (await json(later(7), 'why', 'summary')) as Record<string, unknown>;
    expect(why).toMatchObject({
      status: 'stale',
      freshness: {
        state: 'fail',
        overdueByMs: 1.5 * HOUR,
        requirement: {
          reason:
            'freshness of summary: overdue by 1h 30m; summary is stale (upstream sim/mesh is stale); sim/mesh[coarse] is stale (upstream geometry changed); sim/mesh[fine] is stale (upstream geometry changed)',
          rebuild: [
            { key: 'sim/mesh', partition: 'coarse', status: 'stale', refresh: false },
            { key: 'sim/mesh', partition: 'fine', status: 'stale', refresh: false },
            { key: 'summary', partition: null, status: 'stale', refresh: false },
          ],
        },
      },
    });
    const text = await run(later(7), 'why', 'summary');
    expect(text.stdout).toContain(
      '\nFreshness (maxLag 6h, warnAfter 4h): fail, overdue by 1h 30m: materialized 7h 30m ago, more than maxLag 6h\nTo meet it, rebuild (in order):\n  - sim/mesh[coarse] is stale (upstream geometry changed)\n',
    );
  });
});
