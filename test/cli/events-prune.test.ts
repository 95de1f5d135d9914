// `strata events prune` end to end on a real database: after two real materializations whose
// log is backdated, plus hand-made rows (a running run's old events, old and new ticks), prune
// removes exactly the old events of finished runs and the old ticks beyond the newest kept, a dry
// run deletes nothing, and lineage, provenance, status, why and the latest pointers answer as
// before. A bad --older-than is an argument error naming the flag.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { FIXTURE_ASSETS, runCli, type CliResult } from './cli-harness.js';

const database = useTestDatabase();
const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date();
const ago = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const byNumber = (a: number, b: number) => a - b;

let dir: string;
/** Ids of the hand-made rows, by what prune must do with them. */
const rows = {
  runningOld: 0,
  orphanOld: 0,
  finishedNew: 0,
  oldTicks: [] as number[],
  newTick: 0,
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'strata-prune-'));
  for (const force of [[], ['--force']]) {
    const result = await strata('materialize', ...force);
    expect(result.code, result.stderr).toBe(0);
  }
  const db = database.db;
  // The two runs happened 40 days ago; the second one's last event a day ago (kept).
  await sql`update strata_internal.events set created_at = created_at - interval '40 days'`.execute(
    db,
  );
  const lastRun = await db
    .selectFrom('strata_internal.runs')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirstOrThrow();
  const running = await db
    .insertInto('strata_internal.runs')
    .values({ status: 'running', selection: '*', host: 'test-host' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const event = (runId: number | null, createdAt: Date, message: string) =>
    db
      .insertInto('strata_internal.events')
      .values({ run_id: runId, kind: 'log', message, created_at: createdAt })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => row.id);
  rows.runningOld = await event(running.id, ago(40), 'a running run, old');
  rows.orphanOld = await event(null, ago(40), 'no run, old');
  rows.finishedNew = await event(lastRun.id, ago(1), 'a finished run, recent');
  const tick = (startedAt: Date) =>
    db
      .insertInto('strata_internal.automation_ticks')
      .values({ daemon_id: 'd', host: 'h', started_at: startedAt, status: 'succeeded' })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => row.id);
  for (let i = 0; i < 3; i++) rows.oldTicks.push(await tick(ago(50 - i)));
  rows.newTick = await tick(ago(1));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function strata(...argv: string[]): Promise<CliResult> {
  return runCli([...argv, '--definitions', FIXTURE_ASSETS], {
    databaseUrl: database.url,
    cwd: dir,
    env: { STRATA_HOME: path.join(dir, 'home') },
    now: NOW,
  });
}

/** What every reader of lineage, provenance and statuses prints. */
async function answers(): Promise<Record<string, string>> {
  const latest = await database.db
    .selectFrom('strata_internal.latest_materializations')
    .select(['asset_key', 'partition_key', 'materialization_id'])
    .orderBy('asset_key')
    .orderBy('partition_key')
    .execute();
  const summary = latest.find((row) => row.asset_key === 'summary')!.materialization_id;
  const out: Record<string, string> = { latest: JSON.stringify(latest) };
  const commands = [
    ['lineage', 'summary'],
    ['lineage', 'geometry', '--downstream'],
    ['provenance', String(summary)],
    ['status'],
    ['why', 'summary'],
    ['why', 'sim/mesh[fine]'],
  ];
  for (const argv of commands) {
    const result = await strata(...argv, '--json');
    expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(2);
    out[argv.join(' ')] = result.stdout;
  }
  return out;
}

async function remaining(): Promise<{ events: number[]; ticks: number[] }> {
  const events = await database.db.selectFrom('strata_internal.events').select('id').execute();
  const ticks = await database.db
    .selectFrom('strata_internal.automation_ticks')
    .select('id')
    .execute();
  return {
    events: events.map((r) => r.id).sort(byNumber),
    ticks: ticks.map((r) => r.id).sort(byNumber),
  };
}

interface PruneReport {
  dryRun: boolean;
  events: Record<string, number>;
  eventsTotal: number;
  ticks: number;
}

describe('strata events prune', () => {
  it('refuses a bad or missing --older-than, naming the flag', async () => {
    const cases: ReadonlyArray<{ argv: string[]; message: RegExp }> = [
      { argv: ['--older-than', 'soon'], message: /--older-than: cannot read duration "soon"/ },
      { argv: ['--older-than', '10m'], message: /--older-than must be at least 1h/ },
      { argv: [], message: /needs --older-than/ },
    ];
    for (const { argv, message } of cases) {
      const result = await strata('events', 'prune', ...argv);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it('refuses a bad retention for the daemon, from its flag or the environment', async () => {
    const cases: ReadonlyArray<{ argv: string[]; env?: Record<string, string>; message: RegExp }> =
      [
        {
          argv: ['--prune-events-older-than', '30 days'],
          message: /--prune-events-older-than: cannot read duration "30 days"/,
        },
        {
          argv: [],
          env: { STRATA_PRUNE_EVENTS_OLDER_THAN: '5m' },
          message: /STRATA_PRUNE_EVENTS_OLDER_THAN must be at least 1h/,
        },
      ];
    for (const { argv, env, message } of cases) {
      const result = await runCli(['daemon', ...argv, '--definitions', FIXTURE_ASSETS], {
        databaseUrl: database.url,
        cwd: dir,
        env: { STRATA_HOME: path.join(dir, 'home'), ...env },
      });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it('--dry-run counts and deletes nothing', async () => {
    const before = await remaining();
    const result = await strata('events', 'prune', '--older-than', '30d', '--dry-run', '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as PruneReport;
    expect(report.dryRun).toBe(true);
    // Every event of the two finished runs, the orphan; the 3 old ticks past the kept newest 100.
    expect(report.eventsTotal).toBe(before.events.length - 2);
    expect(report.events.run_finished).toBe(2);
    expect(report.ticks).toBe(0);
    expect(await remaining()).toEqual(before);
  });

  it('removes the old events of finished runs and old ticks; every answer stays the same', async () => {
    const before = await answers();
    const kept = await remaining();
    const result = await strata('events', 'prune', '--older-than', '30d', '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as PruneReport;
    expect(report.eventsTotal).toBe(kept.events.length - 2);
    const after = await remaining();
    expect(after.events).toEqual([rows.runningOld, rows.finishedNew].sort(byNumber));
    // Fewer than 100 ticks: all kept, whatever their age.
    expect(after.ticks).toEqual(kept.ticks);
    expect(await answers()).toEqual(before);
    const again = await strata('events', 'prune', '--older-than', '30d');
    expect(again.stdout).toMatch(/^removed 0 events and 0 automation ticks older than 30d/);
  });
});

describe('pruneHistory', () => {
  it('keeps the newest ticks and deletes older ones past them, in batches', async () => {
    const { pruneHistory } = await import('../../src/retention/index.js');
    const cases = [
      { keepTicks: 1, batchSize: 2, ticks: rows.oldTicks.length },
      { keepTicks: 1, batchSize: 2, ticks: 0 },
    ];
    for (const { keepTicks, batchSize, ticks } of cases) {
      const tally = await pruneHistory(database.db, {
        cutoff: ago(30),
        dryRun: false,
        keepTicks,
        batchSize,
      });
      expect(tally.ticks).toBe(ticks);
    }
    expect((await remaining()).ticks).toEqual([rows.newTick]);
  });
});
