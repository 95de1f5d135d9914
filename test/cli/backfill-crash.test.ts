// A foreground `strata backfill` SIGKILLed mid-backfill: the backfill stays running in the
// database, and the automation daemon's tick (another process's driver) finishes it, with every
// target materialized exactly once. Ctrl-C leaves it running for `strata backfill resume`; and the
// CLI's status, pause and resume on a real process.
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AutomationDaemon } from '../../src/automation/index.js';
import { loadBackfillProgress } from '../../src/backfills/index.js';
import { RunLauncher } from '../../src/executor/index.js';
import { buildAssetGraph } from '../../src/graph/index.js';
import backfillAssets, { BACKFILL_PARTITIONS } from '../fixtures/cli/backfill-assets.js';
import { waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { testEngine } from '../support/engine.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli, type CliProcess } from './cli-process.js';

const database = useTestDatabase();
const DEFINITIONS = path.join(REPO_ROOT, 'test/fixtures/cli/backfill-assets.ts');
const graph = buildAssetGraph(backfillAssets);
const engine = testEngine(database, graph);
const launcher = new RunLauncher(engine, { concurrency: 2 });
afterAll(() => launcher.close());

let victim: CliProcess | undefined;
afterEach(() => {
  victim?.child.kill('SIGKILL');
  victim = undefined;
});

const home = () => mkdtempSync(path.join(tmpdir(), 'strata-backfill-'));

describe('a killed backfill driver', () => {
  it('is finished by the daemon, each target materialized once', { timeout: 90_000 }, async () => {
    victim = startCli(
      [
        'backfill',
        '*',
        '--chunk-size',
        '2',
        '--max-runs',
        '2',
        '--concurrency',
        '2',
        '--lease',
        '1s',
      ],
      {
        databaseUrl: database.url,
        definitions: DEFINITIONS,
        env: { STRATA_FIXTURE_STEP_MS: '300', STRATA_HOME: home() },
      },
    );
    const id = Number((await victim.stderrMatch(/backfill (\d+): 17 target/))[1]);
    await waitFor(
      'some targets done and runs in flight',
      async () => {
        const p = await loadBackfillProgress(database.db, id);
        return p.totals.done >= 4 && p.runsInFlight.length > 0 ? p : undefined;
      },
      { timeoutMs: 30_000 },
    );
    victim.child.kill('SIGKILL');
    await victim.done;
    expect((await loadBackfillProgress(database.db, id)).status).toBe('running');

    const daemon = new AutomationDaemon(engine, { launcher });
    try {
      await waitFor(
        'the daemon to finish the backfill',
        async () => {
          await daemon.tick();
          const p = await loadBackfillProgress(database.db, id);
          return p.status === 'running' ? undefined : p;
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
    } finally {
      await daemon.stop();
    }
    const progress = await loadBackfillProgress(database.db, id);
    expect(progress.status).toBe('succeeded');
    expect(progress.totals).toMatchObject({ targets: 17, done: 17 });
    const rows = await database.db
      .selectFrom('strata_internal.materializations')
      .select(['asset_key', 'partition_key', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(['asset_key', 'partition_key'])
      .execute();
    const counts = Object.fromEntries(
      rows.map((r) => [`${r.asset_key}[${r.partition_key}]`, Number(r.n)]),
    );
    const expected = Object.fromEntries([
      ...BACKFILL_PARTITIONS.flatMap((p) => [`raw[${p}]`, `clean[${p}]`]).map((l) => [l, 1]),
      ['summary[]', 1],
    ]);
    expect(counts).toEqual(expected);
  });

  it('Ctrl-C leaves the backfill running; resume finishes it', { timeout: 60_000 }, async () => {
    victim = startCli(['backfill', 'raw', '--force', '--chunk-size', '1', '--max-runs', '1'], {
      databaseUrl: database.url,
      definitions: DEFINITIONS,
      env: { STRATA_FIXTURE_STEP_MS: '300', STRATA_HOME: home() },
    });
    const id = Number((await victim.stderrMatch(/backfill (\d+): 8 target/))[1]);
    await victim.stderrMatch(/backfill \d+ · running · [1-9]\/8 done/);
    victim.child.kill('SIGINT');
    const stopped = await victim.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(
      new RegExp(`backfill ${id} stays running; continue it with strata backfill resume ${id}`),
    );
    expect((await loadBackfillProgress(database.db, id)).status).toBe('running');
    const resumed = await startCli(['backfill', 'resume', String(id), '--json'], {
      databaseUrl: database.url,
      definitions: DEFINITIONS,
      env: { STRATA_HOME: home() },
    }).done;
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'succeeded', totals: { done: 8 } });
  });

  it('status --json, pause and resume from the command line', { timeout: 60_000 }, async () => {
    const run = (argv: string[]) =>
      startCli(argv, {
        databaseUrl: database.url,
        definitions: DEFINITIONS,
        env: { STRATA_HOME: home() },
      }).done;
    const created = await run([
      'backfill',
      'raw',
      '--from',
      'p2',
      '--to',
      'p4',
      '--detach',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const id = (JSON.parse(created.stdout) as { id: number }).id;
    const paused = await run(['backfill', 'pause', String(id)]);
    expect(paused.stdout).toMatch(new RegExp(`backfill ${id} · paused · 0/3 done`));
    const resumed = await run(['backfill', 'resume', String(id), '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      id,
      status: 'succeeded',
      totals: { targets: 3, done: 3, remaining: 0 },
      assets: [{ key: 'raw', targets: 3, done: 3 }],
    });
    const status = await run(['backfill', 'status', String(id)]);
    expect(status.stdout).toMatch(/raw\s+3\s+3\s+0\s+0\s+0/);
    const bad = await run(['backfill', 'raw', '--from', 'p9']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--from "p9": asset raw has no such partition/);
  });
});
