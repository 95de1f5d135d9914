// `strata status`, `strata plan` and `strata why` on the fixture graph (geometry ->
// sim/mesh[coarse|fine] -> summary): first on an empty database, then after geometry has been
// recorded (fresh) and sim/mesh[coarse] recorded with an old code version (stale).
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { FIXTURE_ASSETS, insertRun, recordMaterialization, runCli } from './cli-harness.js';

const database = useTestDatabase();
const run = (...argv: string[]) =>
  runCli([...argv, '--definitions', FIXTURE_ASSETS], { databaseUrl: database.url });
const json = async (...argv: string[]): Promise<unknown> => {
  const result = await run(...argv, '--json');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
};

describe('on an empty database', () => {
  it('status shows every asset missing', async () => {
    const result = await run('status');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'ASSET     STATUS         MATERIALIZED  CAUSE',
        'geometry  missing        never',
        'sim/mesh  all 2 missing  never',
        'summary   missing        never',
        '',
        '3 assets: 3 missing (4 partitions: 4 missing)',
        '',
      ].join('\n'),
    );
  });

  it('status --json has the documented shape', async () => {
    const status = (await json('status', 'sim/mesh')) as Record<string, unknown>;
    expect(status).toEqual({
      selection: 'sim/mesh',
      evaluatedAt: expect.any(String),
      assets: [
        {
          key: 'sim/mesh',
          partitioned: true,
          status: 'missing',
          counts: { fresh: 0, stale: 0, missing: 2, blocked: 0, total: 2 },
          checks: null,
          lastMaterializedAt: null,
          mainCause: null,
          awaitingProducer: null,
          freshness: null,
          partitions: [
            expect.objectContaining({
              partition: 'coarse',
              status: 'missing',
              materializationId: null,
            }),
            expect.objectContaining({ partition: 'fine', status: 'missing', materializedAt: null }),
          ],
          partitionsListed: 'all',
        },
      ],
      totals: {
        assets: { fresh: 0, stale: 0, missing: 1, blocked: 0, empty: 0 },
        partitions: { fresh: 0, stale: 0, missing: 2, blocked: 0, total: 2 },
        freshness: { pass: 0, warn: 0, fail: 0 },
      },
    });
  });

  it('plan lists every step as missing', async () => {
    const result = await run('plan');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Plan: 4 steps (4 missing)');
    expect(result.stdout).toMatch(/^sim\/mesh +2 partitions$/m);
    expect(result.stdout).toMatch(/^ {2}sim\/mesh\[fine\] +missing$/m);
    const plan = (await json('plan')) as { steps: unknown[]; counts: unknown };
    expect(plan).toMatchObject({
      selection: '*',
      force: false,
      counts: { steps: 4, missing: 4, stale: 0, forced: 0 },
      freshCount: 0,
      expandsAtRunTime: [],
    });
    expect(plan.steps[0]).toEqual({
      key: 'geometry',
      partition: null,
      status: 'missing',
      forced: false,
      causes: [],
      upstream: [],
    });
    expect(plan.steps[1]).toMatchObject({
      key: 'sim/mesh',
      partition: 'coarse',
      causes: [{ category: 'upstream', dependency: 'geometry', dependencyStatus: 'missing' }],
      upstream: [0],
    });
  });

  it('plan --partition restricts the partitioned assets', async () => {
    const plan = (await json('plan', '+sim/mesh', '--partition', 'fine')) as {
      steps: { key: string; partition: string | null }[];
    };
    expect(plan.steps.map((s) => [s.key, s.partition])).toEqual([
      ['geometry', null],
      ['sim/mesh', 'fine'],
    ]);
    const bad = await run('plan', 'sim/mesh', '--partition', 'fien');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: asset sim/mesh has no partition "fien"');
    expect(bad.stderr).toContain('hint: did you mean fine?');
  });

  it('why explains a missing partition down to its root cause', async () => {
    const why = await json('why', 'summary');
    expect(why).toMatchObject({
      key: 'summary',
      partition: null,
      status: 'missing',
      latest: null,
      rootCauses: [
        { key: 'geometry', partition: '', status: 'missing', causes: [] },
        { key: 'sim/mesh', partition: 'coarse', status: 'missing', causes: [] },
        { key: 'sim/mesh', partition: 'fine', status: 'missing', causes: [] },
      ],
    });
    const result = await run('why', 'summary');
    expect(result.stdout).toContain('summary is missing: it has never been materialized.');
    expect(result.stdout).toContain('  geometry is missing: never materialized');
  });

  it('rejects a bad selection with the term at fault', async () => {
    const result = await run('status', 'geometri');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: unknown asset "geometri" in selection "geometri"');
    expect(result.stderr).toContain('hint: did you mean geometry?');
  });
});

describe('with recorded materializations', () => {
  beforeAll(async () => {
    const db = database.db;
    const runId = await insertRun(db);
    const geometry = await recordMaterialization(db, runId, {
      key: 'geometry',
      codeVersion: 'g1',
      dataVersion: 'geo-1',
    });
    await recordMaterialization(db, runId, {
      key: 'sim/mesh',
      partition: 'coarse',
      codeVersion: 'm0',
      dataVersion: 'mesh-c',
      inputs: [{ inputName: 'geometry', id: geometry }],
    });
  });

  it('status counts fresh, stale and missing partitions', async () => {
    const result = await run('status');
    expect(result.stdout).toMatch(/^geometry +fresh +(just now|\d+s ago) *$/m);
    expect(result.stdout).toMatch(
      /^sim\/mesh +1 stale, 1 missing of 2 +(just now|\d+s ago) +code$/m,
    );
    expect(result.stdout).toContain(
      '3 assets: 1 fresh, 2 missing (4 partitions: 1 fresh, 1 stale, 2 missing)',
    );
  });

  it('plan explains the stale step and counts the fresh partitions', async () => {
    const result = await run('plan');
    expect(result.stdout).toContain('Plan: 3 steps (2 missing, 1 stale)');
    expect(result.stdout).toMatch(/sim\/mesh\[coarse\] +stale: code version changed from m0 to m1/);
    expect(result.stdout).toContain(
      '1 partition is fresh and not planned (--force rebuilds them).',
    );
    const nothing = await run('plan', 'geometry');
    expect(nothing.stdout).toBe('Nothing to do: 1 partition is fresh.\n');
    const forced = (await json('plan', 'geometry', '--force')) as { steps: { forced: boolean }[] };
    expect(forced.steps).toEqual([expect.objectContaining({ key: 'geometry', forced: true })]);
  });

  it('why lists the causes of a stale partition', async () => {
    const why = (await json('why', 'sim/mesh[coarse]')) as Record<string, unknown>;
    expect(why).toMatchObject({
      key: 'sim/mesh',
      partition: 'coarse',
      status: 'stale',
      latest: { codeVersion: 'm0', dataVersion: 'mesh-c' },
      causes: [{ category: 'code', previous: 'm0', current: 'm1' }],
      rootCauses: [],
    });
    const text = await run('why', 'sim/mesh[coarse]');
    expect(text.stdout).toContain('sim/mesh[coarse] is stale (materialized');
    expect(text.stdout).toContain('  - code: code version changed from m0 to m1');
    const fresh = await run('why', 'geometry');
    expect(fresh.stdout).toMatch(
      /^geometry is fresh \(materialized .* as #\d+\): nothing to do\.$/m,
    );
  });
});
