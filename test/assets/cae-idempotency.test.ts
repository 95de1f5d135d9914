// CalculiX runs are idempotent by key: a retried submit (sequential or concurrent) returns the
// same run id and starts no second ccx; a caller SIGKILLed mid-solve (a real Node process running
// the adapter) leaves ccx running, and the caller run again reattaches to it: exactly one ccx run
// for the key, counted twice over (the run's start log, and the ccx processes running in its
// directory), and the result is fetched. ccx never sees its caller's environment. A run launched
// on another host (a shared work directory, a Slurm job on another node) is not judged by a pid
// that means nothing here: wait keeps waiting until its exit status appears.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CcxJobs,
  IdempotencyConflictError,
  LostRunError,
  fetchRun,
} from '../../assets/tools/cae/index.js';
import { waitFor } from '../executor/helpers.js';
import { ccxProcessesIn, gridDeck, scratch, skipWithoutCae } from './cae-fixtures.js';

const skip = skipWithoutCae('the CalculiX idempotency tests');

const CHILD = fileURLToPath(new URL('./cae-submit-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** A deck ccx takes seconds over on one thread (100 x 30 quads, 9,261 nodes: ~2.7 s here). */
const SLOW = [100, 30] as const;

/** A variable set in the callers' environment only. */
const PROBE = 'STRATA_CAE_SECRET_PROBE';

/** The ccx starts the run's wrapper logged (one line each). */
async function startsOf(dir: string): Promise<number> {
  const log = await readFile(path.join(dir, 'ccx-starts'), 'utf8');
  return log.trim().split('\n').length;
}

/** Every caller process started, killed at the end if a failed test left one running. */
const callers: ChildProcess[] = [];

/** A caller process, and its JSON lines as they come. */
function caller(
  root: string,
  key: string,
): { child: ChildProcess; next: (event: string) => Promise<Record<string, unknown>> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, root, key, ...SLOW.map(String)],
    {
      cwd: REPO,
      // A credential in the caller's environment, which ccx must not inherit.
      env: { ...process.env, [PROBE]: 'not-for-the-solver' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const events: Record<string, unknown>[] = [];
  const waiting: { event: string; resolve: (e: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as Record<string, unknown>;
    events.push(event);
    for (const w of waiting.filter((w) => w.event === event.event)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(event);
    }
  });
  const next = (event: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const seen = events.find((e) => e.event === event);
      if (seen) return resolve(seen);
      waiting.push({ event, resolve });
      child.once('exit', (code, signal) =>
        reject(new Error(`caller exited (${code ?? signal}) before '${event}'`)),
      );
    });
  return { child, next };
}

describe.skipIf(skip)('CalculiX runs are idempotent by key', () => {
  let root: Awaited<ReturnType<typeof scratch>>;
  let jobs: CcxJobs;

  beforeAll(async () => {
    root = await scratch('cae-idempotency');
    jobs = new CcxJobs(root.dir);
  });
  afterAll(async () => {
    for (const child of callers) if (child.exitCode === null) child.kill('SIGKILL');
    await root?.remove();
  });

  it('a retried submit returns the same run id and starts no second ccx', async () => {
    const deck = gridDeck(20, 4);
    const concurrent = await Promise.all([1, 2, 3].map(() => jobs.submit('retried', deck)));
    const retried = await jobs.submit('retried', deck);
    const all = [...concurrent, retried];
    expect(new Set(all.map((s) => s.runId)).size).toBe(1);
    expect(all.filter((s) => s.startedNow)).toHaveLength(1);
    const { runId, dir } = retried;
    await jobs.wait(runId);
    expect(await jobs.submit('retried', deck)).toEqual({ runId, dir, startedNow: false });
    expect(await startsOf(dir)).toBe(1);
    await fetchRun(jobs, runId);
    // The key names one piece of work: another deck under it is refused.
    await expect(jobs.submit('retried', gridDeck(20, 5))).rejects.toBeInstanceOf(
      IdempotencyConflictError,
    );
  });

  it('a caller SIGKILLed mid-solve: ccx runs on, the caller run again reattaches, one ccx in all', async () => {
    const key = 'killed-caller';
    const first = caller(root.dir, key);
    const submitted = await first.next('submitted');
    expect(submitted.startedNow).toBe(true);
    await first.next('heartbeat'); // waiting on the run
    const dir = String(submitted.dir);
    // The wrapper claims the run before it starts ccx: wait until ccx itself runs.
    const [running] = await waitFor('ccx to run', async () => {
      const found = ccxProcessesIn(dir);
      return found.length > 0 ? found : undefined;
    });
    expect(ccxProcessesIn(dir)).toEqual([running]);
    // ccx runs with the adapter's minimal environment, nothing of its caller's.
    const environ = (await readFile(`/proc/${running}/environ`, 'utf8')).split('\0');
    expect(environ.some((v) => v.startsWith(`${PROBE}=`))).toBe(false);
    expect(environ).toContain('OMP_NUM_THREADS=1');
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    // The solve outlived its caller.
    const [ccx] = ccxProcessesIn(dir);
    expect(ccx).toBe(running);
    const started = Date.now();

    const second = caller(root.dir, key);
    const again = await second.next('submitted');
    expect(again.runId).toBe(submitted.runId);
    expect(again.startedNow).toBe(false);
    expect(ccxProcessesIn(dir)).toEqual([ccx]); // the same ccx, no other
    const fetched = await second.next('fetched');
    await new Promise((resolve) => second.child.once('exit', resolve));
    expect(fetched.exitCode).toBe(0);
    expect(fetched.maxDisplacementMm).toBeGreaterThan(0);
    expect(await startsOf(dir)).toBe(1);
    expect(ccxProcessesIn(dir)).toEqual([]);
    // The result is there for anyone with the id.
    const result = await fetchRun(jobs, String(submitted.runId));
    expect(result.displacements.size).toBe(9_261);
    console.log(
      `killed caller: ccx ${ccx} ran on; the second caller reattached and fetched after ` +
        `${Date.now() - started} ms; ccx starts for the key: ${await startsOf(dir)}`,
    );
  }, 60_000);
});

describe('a run launched on another host', () => {
  /** No process has this pid (above Linux's pid_max, 2^22). */
  const NO_SUCH_PID = 2 ** 22 + 17;
  let root: Awaited<ReturnType<typeof scratch>>;
  let jobs: CcxJobs;

  beforeAll(async () => {
    root = await scratch('cae-other-host');
    jobs = new CcxJobs(root.dir);
  });
  afterAll(() => root?.remove());

  /** A run directory as a wrapper started on `host` leaves it, still running there. */
  async function launchedOn(key: string, host: string): Promise<{ runId: string; dir: string }> {
    const runId = CcxJobs.runIdOf(key);
    const dir = jobs.dirOf(runId);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'started'), `${NO_SUCH_PID} ${host}\n`);
    const launch = { pid: NO_SUCH_PID, stamp: 'boot:1', startedAt: new Date().toISOString() };
    await writeFile(path.join(dir, 'launch.json'), `${JSON.stringify(launch)}\n`);
    return { runId, dir };
  }

  it('wait keeps waiting on it, whatever its pid here, until its exit status appears', async () => {
    const { runId, dir } = await launchedOn('other-host', `not-${hostname()}`);
    let beats = 0;
    let heard: () => void = () => undefined;
    const beaten = new Promise<void>((resolve) => (heard = resolve));
    const waited = jobs.wait(runId, {
      pollMs: 5,
      heartbeatMs: 0,
      onHeartbeat: () => {
        if (++beats === 5) heard();
      },
    });
    let settled = false;
    void waited.then(
      () => (settled = true),
      () => (settled = true),
    );
    // Five polls found the pid dead here, and the run still waited on.
    await beaten;
    expect(settled).toBe(false);
    await writeFile(path.join(dir, 'exit-status'), '0\n');
    expect(await waited).toEqual({ exitCode: 0 });
  });

  it('on its own host, the same record is a lost run', async () => {
    const { runId } = await launchedOn('this-host', hostname());
    await expect(jobs.wait(runId, { pollMs: 5 })).rejects.toBeInstanceOf(LostRunError);
  });
});
