// A PostgreSQL restart or outage under real `strata materialize` and `strata worker` processes, on
// a server of this file's own (the suite's shared server must stay up): they wait for the
// database with one line each way, finish the run with every partition materialized exactly once
// and nothing lost; a database that stays away past --db-outage ends them with a clear message
// (and, for materialize, the command that finishes the run), and the run finishes later.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRun } from '../../src/executor/index.js';
import { buildAssetGraph } from '../../src/graph/index.js';
import { createPlan } from '../../src/planner/index.js';
import {
  createDatabase,
  ensureEmbeddedServer,
  migrate,
  migrateQueue,
  stopEmbeddedServer,
  type DatabaseHandle,
} from '../../src/store/index.js';
import longSteps, { STEP_PARTITIONS } from '../fixtures/cli/long-steps.js';
import { materializationCounts, runEvents, waitFor } from '../executor/helpers.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli, type CliProcess } from './cli-process.js';

const LONG_STEPS = path.join(REPO_ROOT, 'test/fixtures/cli/long-steps.ts');
/** Steps short enough for a quick test, long enough to be running when the server stops. */
const STEP_ENV = { STRATA_FIXTURE_STEP_MS: '1500' };
const EVERY_PARTITION_ONCE = Object.fromEntries(STEP_PARTITIONS.map((p) => [`work[${p}]`, 1]));

let stateDir: string;
let url: string;
let handle: DatabaseHandle;
const processes: CliProcess[] = [];

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'strata-restart-'));
  ({ url } = await ensureEmbeddedServer(stateDir));
  handle = await createDatabase(url, { max: 2 });
  await migrate(handle.db);
  await migrateQueue(handle.pool);
}, 120_000);

afterAll(async () => {
  await handle?.close();
  await stopEmbeddedServer(stateDir).catch(() => undefined);
  await rm(stateDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const child of processes.splice(0)) child.child.kill('SIGKILL');
  await ensureEmbeddedServer(stateDir);
});

function cli(argv: string[]): CliProcess {
  const started = startCli(argv, {
    databaseUrl: url,
    definitions: LONG_STEPS,
    env: { ...STEP_ENV, STRATA_HOME: stateDir },
  });
  processes.push(started);
  return started;
}

/** Waits until some attempt runs; returns its run. */
function aStepRunning(): Promise<number> {
  return waitFor('a step to be running', async () => {
    const row = await handle.db
      .selectFrom('strata_internal.attempts')
      .select('run_id')
      .where('status', '=', 'running')
      .executeTakeFirst();
    return row?.run_id;
  });
}

/** The run finished exactly once per partition, nothing lost or repeated. */
async function expectExactlyOnce(runId: number): Promise<void> {
  const database = { url, db: handle.db, pool: handle.pool, outage: handle.outage };
  const run = await handle.db
    .selectFrom('strata_internal.runs')
    .select('status')
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
  expect(run.status).toBe('succeeded');
  expect(await materializationCounts(database, runId)).toEqual(EVERY_PARTITION_ONCE);
  const failed = await handle.db
    .selectFrom('strata_internal.attempts')
    .select(['step_id', 'status'])
    .where('run_id', '=', runId)
    .where('status', 'not in', ['succeeded', 'lost'])
    .execute();
  expect(failed).toEqual([]);
  expect(await runEvents(database, runId, 'step_failed')).toEqual([]);
}

/** Stops the server, waits for `waiter` to say it is waiting, and starts the server again. */
async function restartUnder(waiter: CliProcess): Promise<void> {
  await stopEmbeddedServer(stateDir);
  await waiter.stderrMatch(/database unreachable \(.+\); waiting up to/);
  await ensureEmbeddedServer(stateDir);
  await waiter.stderrMatch(/database reachable again after/);
}

describe('a database restart', () => {
  it('is ridden out by strata materialize, which finishes the run', async () => {
    const materialize = cli(['materialize', '--force', '--concurrency', '2']);
    const runId = await aStepRunning();
    await restartUnder(materialize);
    const result = await materialize.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`run ${runId} succeeded`);
    // One line each way, no stack trace, no raw queue errors.
    expect(result.stderr.match(/database unreachable/g)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toMatch(/queue (error|warning)/);
    await expectExactlyOnce(runId);
  });

  it('is ridden out by strata worker, which keeps working and stops cleanly', async () => {
    const graph = buildAssetGraph(longSteps);
    const plan = await createPlan(handle.db, graph, undefined, { force: true });
    const runId = await createRun(handle.db, {
      plan,
      options: { concurrency: 2, force: true, partitions: [] },
      trigger: 'test',
    });
    const worker = cli(['worker', '--concurrency', '2', '--json']);
    await aStepRunning();
    await restartUnder(worker);
    await waitFor(
      'the run to finish',
      async () => {
        const run = await handle.db
          .selectFrom('strata_internal.runs')
          .select('status')
          .where('id', '=', runId)
          .executeTakeFirst();
        return run?.status === 'running' ? undefined : run;
      },
      { timeoutMs: 60_000 },
    );
    worker.child.kill('SIGTERM');
    const result = await worker.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    await expectExactlyOnce(runId);
  });
});

describe('a database that stays away', () => {
  it('ends strata materialize after --db-outage with the command that finishes the run', async () => {
    const materialize = cli(['materialize', '--force', '--concurrency', '2', '--db-outage', '2s']);
    const runId = await aStepRunning();
    await stopEmbeddedServer(stateDir);
    const result = await materialize.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PostgreSQL has been unreachable for \d+s \(.+\); giving up/);
    expect(result.stderr).toContain(`finish it with: strata materialize --resume ${runId}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);

    await ensureEmbeddedServer(stateDir);
    const resumed = await cli(['materialize', '--resume', String(runId)]).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    await expectExactlyOnce(runId);
  });

  it('ends an idle strata worker after --db-outage with a clear message', async () => {
    const worker = cli(['worker', '--db-outage', '2s', '--json']);
    await worker.stdoutMatch(/"workerId"/);
    await stopEmbeddedServer(stateDir);
    const result = await worker.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PostgreSQL has been unreachable for \d+s \(.+\); giving up/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
