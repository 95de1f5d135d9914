// `strata artifacts gc` end to end, against a real database and a real local store: after a
// materialization, orphan artifacts are put behind the engine's back; a dry run deletes nothing
// and names exactly the orphans; --delete removes only them; referenced artifacts (linked, a
// value stored as an artifact, a reference inside a partition payload), an orphan younger than
// --min-age, orphans stored since the oldest running attempt started and those stored while a
// tool call ran all survive.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import type { ArtifactRef } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { storedIds } from '../support/stored-artifacts.js';
import { REPO_ROOT, runCli, type CliResult } from './cli-harness.js';

const database = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/cli/gc-assets.ts');
const HOUR_MS = 60 * 60 * 1000;

let dir: string;
let storeDir: string;
let store: LocalArtifactStore;
/** The artifacts the materializations recorded (the report and the table's value). */
let materialized: string[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'strata-gc-'));
  storeDir = path.join(dir, 'store');
  store = new LocalArtifactStore(storeDir);
  const result = await gc(['materialize', '--definitions', FIXTURE]);
  expect(result.code, result.stderr).toBe(0);
  materialized = await storedIds(store);
  expect(materialized).toHaveLength(2);
  // Old enough to be garbage, were they not referenced.
  for (const id of materialized) await backdate(id, 48 * HOUR_MS);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs strata with the test's store and database. */
function gc(argv: readonly string[]): Promise<CliResult> {
  return runCli([...argv, '--artifact-store', storeDir], {
    databaseUrl: database.url,
    env: { STRATA_HOME: path.join(dir, 'home') },
  });
}

/** Sets the time an artifact was stored to `ageMs` ago. */
async function backdate(id: string, ageMs: number): Promise<void> {
  const at = new Date(Date.now() - ageMs);
  await utimes(store.pathOf(id), at, at);
}

/** An orphan: an artifact no materialization references, stored `ageMs` ago. */
async function orphan(content: string, ageMs: number): Promise<ArtifactRef> {
  const ref = await store.put(content, { name: 'orphan.txt' });
  if (ageMs > 0) await backdate(ref.artifact, ageMs);
  return ref;
}

/** The JSON report of a gc invocation that succeeded. */
function report(result: CliResult): {
  dryRun: boolean;
  garbage: { count: number; bytes: number };
  referenced: { count: number };
  recent: { count: number };
  toolOutputs: { count: number; bytes: number };
  deleted: { count: number; bytes: number };
  examples: { artifact: string }[];
  inProgress: { runs: number; attempts: number; oldestStart: string | null };
} {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ReturnType<typeof report>;
}

describe('strata artifacts gc', () => {
  it('dry run: names exactly the orphans and deletes nothing; --delete removes only them', async () => {
    const orphans = [
      await orphan('orphan one', 48 * HOUR_MS),
      await orphan('orphan 2', 3 * HOUR_MS),
    ];
    const fresh = await orphan('a fresh orphan', 0);
    // Referenced only from inside a JSON document: a dynamic partition's payload.
    const inPayload = await orphan('referenced from a payload', 48 * HOUR_MS);
    await database.db
      .insertInto('strata_internal.dynamic_partitions')
      .values({
        set_name: 'designs',
        partition_key: 'd1',
        payload: JSON.stringify({ inputs: [{ file: inPayload }] }),
      })
      .execute();
    const before = await storedIds(store);

    const dry = report(await gc(['artifacts', 'gc', '--json']));
    expect(dry.dryRun).toBe(true);
    expect(dry.garbage).toEqual({
      count: 2,
      bytes: orphans.reduce((sum, ref) => sum + ref.size, 0),
    });
    expect(dry.examples.map((example) => example.artifact).sort()).toEqual(
      orphans.map((ref) => ref.artifact).sort(),
    );
    expect(dry.referenced.count).toBe(3);
    expect(dry.recent.count).toBe(1);
    expect(dry.deleted.count).toBe(0);
    expect(await storedIds(store)).toEqual(before);

    const human = await gc(['artifacts', 'gc']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('dry run: nothing deleted');
    expect(human.stdout).toContain('garbage      2 artifacts');
    expect(human.stdout).toContain('strata artifacts gc --delete');
    for (const ref of orphans) expect(human.stdout).toContain(ref.artifact);
    expect(await storedIds(store)).toEqual(before);

    const deleted = report(await gc(['artifacts', 'gc', '--delete', '--json']));
    expect(deleted.deleted).toEqual(dry.garbage);
    expect(await storedIds(store)).toEqual(
      [...materialized, fresh.artifact, inPayload.artifact].sort(),
    );
    for (const id of materialized) await expect(store.read(id)).resolves.toBeInstanceOf(Buffer);

    const again = await gc(['artifacts', 'gc', '--delete']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /Deleted 0 artifacts \(0 B\), freed 0 B; kept 4 \(3 referenced, 1 recent\)/,
    );
  });

  it('keeps what was stored since the oldest running attempt started, and says runs are in progress', async () => {
    const startedAt = new Date(Date.now() - 3 * HOUR_MS);
    const run = await database.db
      .insertInto('strata_internal.runs')
      .values({ status: 'running', selection: 'report', host: 'elsewhere', created_at: startedAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('strata_internal.attempts')
      .values({
        step_id: 1_000_000,
        run_id: run.id,
        number: 1,
        worker_id: 'worker-elsewhere',
        status: 'running',
        started_at: startedAt,
      })
      .execute();
    try {
      const sinceAttempt = await orphan('written by the running step', 2 * HOUR_MS);
      const beforeAttempt = await orphan('older than the running step', 4 * HOUR_MS);

      const dry = await gc(['artifacts', 'gc']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('1 run and 1 attempt in progress');
      expect(dry.stdout).toContain(startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'));

      const result = report(await gc(['artifacts', 'gc', '--delete', '--json']));
      expect(result.inProgress).toEqual({
        runs: 1,
        attempts: 1,
        oldestStart: startedAt.toISOString(),
      });
      expect(result.examples.map((example) => example.artifact)).toEqual([beforeAttempt.artifact]);
      expect(result.deleted.count).toBe(1);
      expect(await store.has(sinceAttempt)).toBe(true);
      expect(await store.has(beforeAttempt)).toBe(false);
    } finally {
      await database.db
        .updateTable('strata_internal.runs')
        .set({ status: 'canceled' })
        .where('id', '=', run.id)
        .execute();
      await database.db
        .updateTable('strata_internal.attempts')
        .set({ status: 'canceled' })
        .where('run_id', '=', run.id)
        .execute();
    }
  });

  it('keeps an orphan younger than --min-age and deletes it once it is older', async () => {
    const young = await orphan('ninety minutes old', 90 * 60 * 1000);
    const kept = report(await gc(['artifacts', 'gc', '--min-age', '2h', '--delete', '--json']));
    expect(kept.examples.map((example) => example.artifact)).not.toContain(young.artifact);
    expect(await store.has(young)).toBe(true);
    const result = report(await gc(['artifacts', 'gc', '--min-age', '1h', '--delete', '--json']));
    expect(result.examples.map((example) => example.artifact)).toEqual([young.artifact]);
    expect(await store.has(young)).toBe(false);
  });

  it('keeps what was stored while a tool call ran: its server may replay a reference to it', async () => {
    const callStartedAt = new Date(Date.now() - 6 * HOUR_MS);
    await database.db
      .insertInto('strata_internal.tool_calls')
      .values({
        attempt_id: 1_000_001,
        server: 'mesher',
        tool: 'mesh',
        argument_hash: 'a'.repeat(64),
        idempotency_key: 'b'.repeat(32),
        status: 'succeeded',
        started_at: callStartedAt,
        duration_ms: 60_000,
      })
      .execute();
    const meshOfTheCall = await orphan('a mesh the tool server stored', 6 * HOUR_MS - 30_000);
    const unrelated = await orphan('stored long before any tool call', 9 * HOUR_MS);

    const result = report(await gc(['artifacts', 'gc', '--delete', '--json']));
    expect(result.examples.map((example) => example.artifact)).toEqual([unrelated.artifact]);
    expect(result.toolOutputs).toEqual({ count: 1, bytes: meshOfTheCall.size });
    expect(await store.has(meshOfTheCall)).toBe(true);
    expect(await store.has(unrelated)).toBe(false);
  });

  it('refuses a bad --min-age or action, naming it', async () => {
    const bad = await gc(['artifacts', 'gc', '--min-age', 'soon']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--min-age');
    const short = await gc(['artifacts', 'gc', '--min-age', '10s']);
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('--min-age must be at least 1m');
    const action = await gc(['artifacts', 'collect']);
    expect(action.code).not.toBe(0);
    expect(action.stderr).toContain('unknown action "collect" for strata artifacts');
  });

  it('fails with a clear message and a non-zero status when the store cannot be read', async () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    const result = await runCli(['artifacts', 'gc', '--artifact-store', path.join(file, 'store')], {
      databaseUrl: database.url,
      env: { STRATA_HOME: path.join(dir, 'home') },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('could not list artifacts from the artifact store');
    expect(result.stderr).toContain('ENOTDIR');
  });
});
