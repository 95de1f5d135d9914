// Tool servers live and die with their worker and never see its credentials. A worker process
// SIGKILLed while its (third-party, unguarded) tool server works: the server exits, quietly, and
// the survivor that takes the step over also takes over the key the dead worker held. A server's
// environment has no DATABASE_URL, STRATA_TOKEN or other secret of the worker's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { asset, mcpStdioServer } from '../../src/definitions/index.js';
import { createRun, startWorkerPool, watchRun, type WorkerPool } from '../../src/executor/index.js';
import { createPlan } from '../../src/planner/index.js';
import { toolGraph, type CounterFiles } from '../fixtures/tool-graph.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, testEngine } from '../support/engine.js';
import { isRunning } from '../support/processes.js';
import { deferred, summaryOf, waitFor } from './helpers.js';

const database = useTestDatabase();
const LEASE_MS = 1_000;
const root = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = fileURLToPath(new URL('../fixtures/tools/counter-tool-server.ts', import.meta.url));

let child: ChildProcess | undefined;
let survivor: WorkerPool | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await survivor?.stop();
  child = survivor = undefined;
});

function counterFiles(): CounterFiles & { work(): string[][]; open(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'strata-lifetime-'));
  const workLog = path.join(dir, 'work.log');
  const gate = path.join(dir, 'gate');
  writeFileSync(workLog, '');
  return {
    workLog,
    gate,
    work: () =>
      readFileSync(workLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')),
    open: () => writeFileSync(gate, ''),
  };
}

/** Starts the fixture worker process: its worker id once ready, its exit, its whole stderr. */
function startChildWorker(files: CounterFiles, artifactsDir: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/tool-worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      STRATA_ARTIFACTS_DIR: artifactsDir,
      STRATA_LEASE_MS: String(LEASE_MS),
      TOOL_WORK_LOG: files.workLog,
      TOOL_GATE: files.gate,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = deferred<string>();
  const exited = deferred<NodeJS.Signals | null>();
  // The stream closes when every process writing to it is gone: the worker, and the watchdog
  // and tool server that inherited it.
  const stderr = deferred<string>();
  let out = '';
  let err = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const match = /^ready (\S+)$/m.exec(out);
    if (match) ready.resolve(match[1]!);
  });
  proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  proc.stderr!.on('close', () => stderr.resolve(err));
  proc.on('exit', (_code, signal) => exited.resolve(signal));
  const failedEarly = new Promise<never>((_, reject) =>
    proc.on('exit', (code, signal) =>
      reject(new Error(`tool worker exited early (${code ?? signal}):\n${err}`)),
    ),
  );
  return {
    process: proc,
    ready: Promise.race([ready.promise, failedEarly]),
    exited: exited.promise,
    stderr: stderr.promise,
  };
}

describe('tool servers', () => {
  it(
    'exit when their worker is killed; the survivor takes the held key over and finishes',
    { timeout: 60_000 },
    async () => {
      const files = counterFiles();
      const graph = toolGraph(files);
      const artifactsDir = path.join(mkdtempSync(path.join(tmpdir(), 'strata-lifetime-')), 'a');
      const plan = await createPlan(database.db, graph, undefined);
      const runId = await createRun(database.db, {
        plan,
        options: { concurrency: 1, force: false, partitions: [] },
        trigger: 'test',
      });
      const worker = startChildWorker(files, artifactsDir);
      child = worker.process;
      const childWorkerId = await worker.ready;

      // The child's server works on the key (waiting for the gate); the child holds the key.
      const serverPid = Number(
        await waitFor('the tool server to be working', async () => files.work()[0]?.[0]),
      );
      const hold = await database.db
        .selectFrom('strata_internal.tool_call_holds')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(hold).toMatchObject({ worker_id: childWorkerId, server: 'counter', tool: 'double' });

      child.kill('SIGKILL');
      expect(await worker.exited).toBe('SIGKILL');
      await waitFor(
        'the tool server of the killed worker to exit',
        async () => (isRunning(serverPid) ? undefined : true),
        { timeoutMs: 10_000, intervalMs: 50 },
      );
      // Nothing wrote to the worker's stderr: no uncaught EPIPE or other error on the way out.
      expect(await worker.stderr).toBe('');

      files.open();
      survivor = await startWorkerPool(
        testEngine(database, graph, { artifacts: new LocalArtifactStore(artifactsDir) }),
        { concurrency: 1, leaseMs: LEASE_MS },
      );
      const final = await watchRun(database.db, database.pool, runId, () => undefined);
      expect(final.status).toBe('succeeded');

      // The killed server never finished its work; the survivor's server did it, once.
      const work = files.work();
      expect(work).toHaveLength(2);
      expect(work[1]![0]).not.toBe(String(serverPid));
      expect(work[1]![1]).toBe(hold.idempotency_key);
      const calls = await database.db
        .selectFrom('strata_internal.tool_calls as c')
        .innerJoin('strata_internal.attempts as a', 'a.id', 'c.attempt_id')
        .select(['a.worker_id', 'c.status', 'c.took_over_from_attempt_id', 'c.idempotency_key'])
        .where('c.run_id', '=', runId)
        .execute();
      expect(calls).toEqual([
        {
          worker_id: survivor.workerId,
          status: 'succeeded',
          took_over_from_attempt_id: hold.attempt_id,
          idempotency_key: hold.idempotency_key,
        },
      ]);
      expect(
        await database.db.selectFrom('strata_internal.tool_call_holds').selectAll().execute(),
      ).toEqual([]);
    },
  );

  it('get only what their declaration asks of the worker`s environment, never a credential by prefix', async () => {
    const planted: Record<string, string> = {
      DATABASE_URL: 'postgres://strata:hunter2@db.example/strata',
      STRATA_TOKEN: 'secret-token',
      PGPASSWORD: 'hunter2',
      OPENAI_API_KEY: 'sk-secret',
      CACHE_URL: 'redis://cache:hunter2@cache.example:6379',
      LM_LICENSE_FILE: '27000@licenses.example',
      OMP_NUM_THREADS: '4',
      UNDECLARED_SETTING: 'x',
    };
    const saved = Object.fromEntries(Object.keys(planted).map((k) => [k, process.env[k]]));
    Object.assign(process.env, planted);
    try {
      const counter = mcpStdioServer({
        command: process.execPath,
        args: ['--import', 'tsx', SERVER],
        env: { WORK_LOG: path.join(tmpdir(), 'unused.log'), CAD_LICENSE_TOKEN: 'declared' },
        inherit: ['LM_LICENSE_FILE', 'OMP_*', 'STRATA_*'],
      });
      let keys: string[] = [];
      const envKeys = asset({
        key: 'env_keys',
        codeVersion: '1',
        schema: z.number(),
        compute: async (ctx) => {
          keys = (await ctx.tools.call<{ keys: string[] }>('counter', 'env', {})).structured.keys;
          return keys.length;
        },
      });
      const summary = summaryOf(await run(database, graphOf([envKeys], { tools: { counter } })));
      expect(summary.status).toBe('succeeded');
      for (const secret of [
        'DATABASE_URL',
        'STRATA_TOKEN',
        'PGPASSWORD',
        'OPENAI_API_KEY',
        'CACHE_URL',
        'UNDECLARED_SETTING',
      ])
        expect(keys).not.toContain(secret);
      // What a server declares arrives: the basics, the worker's variables it names (a prefix
      // passes no credential: STRATA_* did not bring STRATA_TOKEN), its declared values (a
      // secret, when declared), and the artifact store.
      for (const kept of [
        'PATH',
        'LM_LICENSE_FILE',
        'OMP_NUM_THREADS',
        'WORK_LOG',
        'CAD_LICENSE_TOKEN',
        'STRATA_ARTIFACT_STORE',
      ])
        expect(keys).toContain(kept);
    } finally {
      for (const [key, value] of Object.entries(saved))
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
  });
});
