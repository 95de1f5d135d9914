// At-most-once tool work across workers: a tool call holds its idempotency key in PostgreSQL while
// it is in flight. Two workers (each with its own tool-server process) calling one key at once do
// the work once; a hold whose worker is declared lost, or that its own worker left behind, is
// taken over; waiting for a held key ends when the attempt is cancelled.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely, type KyselyPlugin } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, mcpStdioServer } from '../../src/definitions/index.js';
import { UserCodeError } from '../../src/errors.js';
import { startWorkerPool, type WorkerPool } from '../../src/executor/index.js';
import { reapLostWorkers, registerWorker } from '../../src/executor/liveness.js';
import { insertToolCallHold } from '../../src/executor/sql/tool-call-holds.js';
import { toolAccess, toolCallKey } from '../../src/executor/tool-access.js';
import type { AssetGraph } from '../../src/graph/index.js';
import type { Database } from '../../src/store/index.js';
import { hashJson } from '../../src/util/canonical-json.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, testEngine } from '../support/engine.js';
import { isRunning } from '../support/processes.js';
import { waitFor } from './helpers.js';

const database = useTestDatabase();
const SERVER = fileURLToPath(new URL('../fixtures/tools/counter-tool-server.ts', import.meta.url));
const STEP_KEY = 'c0ffee'.repeat(5) + 'ab';

/** The counter server of one test: its work log, and the gate its work waits for. */
function gatedCounter() {
  const dir = mkdtempSync(path.join(tmpdir(), 'strata-holds-'));
  const workLog = path.join(dir, 'work.log');
  const gate = path.join(dir, 'gate');
  writeFileSync(workLog, '');
  return {
    server: mcpStdioServer({
      command: process.execPath,
      args: ['--import', 'tsx', SERVER],
      env: { WORK_LOG: workLog, GATE: gate },
    }),
    work: (): string[] => readFileSync(workLog, 'utf8').split('\n').filter(Boolean),
    open: () => writeFileSync(gate, ''),
  };
}

function graphWith(counter: ReturnType<typeof gatedCounter>): AssetGraph {
  const point = asset({ key: 'point', codeVersion: '1', schema: z.number(), compute: () => 1 });
  return graphOf([point], { tools: { counter: counter.server } });
}

const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.stop()));
});

async function startPool(graph: AssetGraph): Promise<WorkerPool> {
  const pool = await startWorkerPool(testEngine(database, graph), { concurrency: 1 });
  pools.push(pool);
  return pool;
}

/** `db`, counting the reads of a key's holder: each one is a look of a waiting caller. */
function watchedDb(db: Kysely<Database>) {
  let reads = 0;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      if (
        args.node.kind === 'SelectQueryNode' &&
        JSON.stringify(args.node).includes('tool_call_holds')
      )
        reads++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: db.withPlugin(plugin), reads: () => reads };
}

/** Calls counter.double(x) as attempt `attemptId` of worker `pool`. */
function callDouble(
  pool: WorkerPool,
  attemptId: number,
  x: number,
  options: { db?: Kysely<Database>; signal?: AbortSignal } = {},
) {
  const runtime = {
    db: options.db ?? database.db,
    graph: pool.runtime.graph,
    tools: pool.runtime.tools,
    workerId: pool.workerId,
  };
  const claim = { attemptId, step: { id: attemptId, run_id: 1, asset_key: 'point' } };
  return toolAccess(runtime, claim, STEP_KEY, options.signal ?? new AbortController().signal).call<{
    id: string;
    y: number;
  }>('counter', 'double', { x });
}

const keyOf = (x: number) => toolCallKey(STEP_KEY, 'counter', 'double', hashJson({ x }));

async function callsOf(key: string) {
  return database.db
    .selectFrom('strata_internal.tool_calls')
    .selectAll()
    .where('idempotency_key', '=', key)
    .orderBy('id')
    .execute();
}

/** The key's row in the view strata.tool_calls_in_flight (none when nobody holds it). */
async function holdsOf(key: string) {
  const result = await sql<Record<string, unknown>>`
    select * from strata.tool_calls_in_flight where idempotency_key = ${key}`.execute(database.db);
  return result.rows;
}

describe('tool call holds', () => {
  it('let two workers calling one key at once do the work once, the second getting the answer', async () => {
    const counter = gatedCounter();
    const graph = graphWith(counter);
    const [first, second] = [await startPool(graph), await startPool(graph)];
    const watched = watchedDb(database.db);

    const firstCall = callDouble(first, 101, 21);
    await waitFor('the first worker`s server to be working', async () =>
      counter.work().length === 1 ? true : undefined,
    );
    const secondCall = callDouble(second, 102, 21, { db: watched.db });
    // The second worker looks at the holder at least twice: it waits instead of calling (had it
    // called, its server would have done the work again).
    await waitFor('the second worker to wait for the key, or to call', async () =>
      watched.reads() >= 2 || counter.work().length > 1 ? true : undefined,
    );
    expect(counter.work()).toHaveLength(1);
    expect(await holdsOf(keyOf(21))).toMatchObject([
      { worker_id: first.workerId, attempt_id: 101, server: 'counter', tool: 'double' },
    ]);

    counter.open();
    const [a, b] = await Promise.all([firstCall, secondCall]);
    expect(b.structured).toEqual(a.structured);
    expect(a.structured).toEqual({ id: 'double-21', y: 42 });
    // One piece of work, by the first worker's server; the second's server answered from the store.
    expect(counter.work()).toHaveLength(1);
    const calls = await callsOf(keyOf(21));
    expect(calls.map((c) => [c.attempt_id, c.status, c.took_over_from_attempt_id])).toEqual([
      [101, 'succeeded', null],
      [102, 'succeeded', null],
    ]);
    expect(calls[0]!.waited_ms).toBeLessThan(calls[1]!.waited_ms);
    expect(await holdsOf(keyOf(21))).toEqual([]);

    // Two server processes, one per worker; both end when their worker stops.
    const pids = await Promise.all(
      [first, second].map(async (pool, i) => {
        const claim = { attemptId: 200 + i, step: { id: 1, run_id: 1, asset_key: 'point' } };
        const signal = new AbortController().signal;
        const env = await toolAccess(pool.runtime, claim, STEP_KEY, signal).call<{
          pid: number;
        }>('counter', 'env', {});
        return env.structured.pid;
      }),
    );
    expect(new Set(pids).size).toBe(2);
    await Promise.all(pools.splice(0).map((pool) => pool.stop()));
    await waitFor('the tool servers to exit', async () =>
      pids.some(isRunning) ? undefined : true,
    );
  });

  it('take over the hold of a worker declared lost, and call again', async () => {
    const counter = gatedCounter();
    counter.open();
    const pool = await startPool(graphWith(counter));
    await registerWorker(database.db, 'vanished-worker', 1);
    await insertToolCallHold(database.db, {
      key: keyOf(5),
      server: 'counter',
      tool: 'double',
      workerId: 'vanished-worker',
      attemptId: 7,
    });
    const watched = watchedDb(database.db);
    const call = callDouble(pool, 301, 5, { db: watched.db });
    let settled = false;
    void call.finally(() => (settled = true)).catch(() => undefined);
    await waitFor('the call to wait for the held key, or to end', async () =>
      watched.reads() >= 2 || settled ? true : undefined,
    );
    // Its worker is alive (as far as anyone knows): the call waits and does nothing.
    expect(settled).toBe(false);
    expect(counter.work()).toEqual([]);
    expect(await holdsOf(keyOf(5))).toMatchObject([{ worker_status: 'alive', attempt_id: 7 }]);

    await sql`update strata_internal.workers set heartbeat_at = now() - interval '1 hour' where id = 'vanished-worker'`.execute(
      database.db,
    );
    expect((await reapLostWorkers(database.db, 1_000)).map((w) => w.id)).toEqual([
      'vanished-worker',
    ]);
    expect((await call).structured).toEqual({ id: 'double-5', y: 10 });
    expect(counter.work()).toHaveLength(1);
    expect(await callsOf(keyOf(5))).toMatchObject([
      { attempt_id: 301, status: 'succeeded', took_over_from_attempt_id: 7 },
    ]);
    expect(await holdsOf(keyOf(5))).toEqual([]);
  });

  it('take over a hold their own worker left behind (no call of the key in flight in it)', async () => {
    const counter = gatedCounter();
    counter.open();
    const pool = await startPool(graphWith(counter));
    await insertToolCallHold(database.db, {
      key: keyOf(6),
      server: 'counter',
      tool: 'double',
      workerId: pool.workerId,
      attemptId: 55,
    });
    expect((await callDouble(pool, 401, 6)).structured).toEqual({ id: 'double-6', y: 12 });
    expect(await callsOf(keyOf(6))).toMatchObject([
      { attempt_id: 401, took_over_from_attempt_id: 55 },
    ]);
  });

  it('stop waiting for a held key when the attempt is cancelled, naming server, tool and key', async () => {
    const counter = gatedCounter();
    counter.open();
    const pool = await startPool(graphWith(counter));
    await registerWorker(database.db, 'busy-worker', 1);
    await insertToolCallHold(database.db, {
      key: keyOf(8),
      server: 'counter',
      tool: 'double',
      workerId: 'busy-worker',
      attemptId: 9,
    });
    const watched = watchedDb(database.db);
    const cancel = new AbortController();
    const call = callDouble(pool, 501, 8, { db: watched.db, signal: cancel.signal });
    await waitFor('the call to wait for the held key', async () =>
      watched.reads() >= 1 ? true : undefined,
    );
    cancel.abort();
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserCodeError);
    expect((error as Error).message).toBe(
      `tool counter.double (idempotency key ${keyOf(8)}) was not called: the attempt was cancelled or timed out while waiting for its idempotency key, held by attempt 9 of worker busy-worker`,
    );
    expect(counter.work()).toEqual([]);
    expect(await callsOf(keyOf(8))).toEqual([]);
    expect(await holdsOf(keyOf(8))).toMatchObject([{ worker_id: 'busy-worker', attempt_id: 9 }]);
  });

  it('stop waiting for a held key when the compute`s signal ends at its timeout', async () => {
    const counter = gatedCounter();
    counter.open();
    const pool = await startPool(graphWith(counter));
    await registerWorker(database.db, 'slow-worker', 1);
    await insertToolCallHold(database.db, {
      key: keyOf(11),
      server: 'counter',
      tool: 'double',
      workerId: 'slow-worker',
      attemptId: 12,
    });
    const startedAt = Date.now();
    // What runCompute gives the tool access of an asset with a 300 ms timeout: ctx.signal.
    const error = await callDouble(pool, 601, 11, { signal: AbortSignal.timeout(300) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserCodeError);
    expect((error as Error).message).toMatch(
      /was not called: the attempt was cancelled or timed out/,
    );
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
    expect(counter.work()).toEqual([]);
    expect(await callsOf(keyOf(11))).toEqual([]);
  });
});
