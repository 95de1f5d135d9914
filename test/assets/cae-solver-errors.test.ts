// CalculiX failures become errors carrying CalculiX's own message, never a result: a deck
// without its material (CalculiX exits 201 and says so), and a model with no support (CalculiX
// exits 0 and says nothing: the results are caught instead). Also: a finished run fetched again
// gives the same numbers, fetching a run still running is refused, a ccx killed from outside
// ends its run with the signal's status, and a run whose processes all died is reported lost.
// A run killed or lost is started again (rerun) once however many callers ask, up to a limit of
// starts per deck; a run that ran to its end is never rerun.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CalculixError,
  CcxJobs,
  FinishedRunError,
  IdempotencyConflictError,
  LostRunError,
  RerunLimitError,
  UnrestrainedModelError,
  fetchRun,
} from '../../assets/tools/cae/index.js';
import { RUN_FILES } from '../../assets/tools/cae/run-files.js';
import { waitFor } from '../executor/helpers.js';
import { ccxProcessesIn, gridDeck, scratch, skipWithoutCae } from './cae-fixtures.js';

const skip = skipWithoutCae('the CalculiX error tests');

/** A small good deck: 10 x 2 quads. */
const GOOD = gridDeck(10, 2);

describe.skipIf(skip)('CalculiX failures', () => {
  let root: Awaited<ReturnType<typeof scratch>>;
  let jobs: CcxJobs;

  beforeAll(async () => {
    root = await scratch('cae-errors');
    jobs = new CcxJobs(root.dir);
  });
  afterAll(() => root?.remove());

  async function solve(key: string, deck: string) {
    const { runId } = await jobs.submit(key, deck);
    const { exitCode } = await jobs.wait(runId);
    return { runId, exitCode };
  }

  it('a deck without its material fails with CalculiX message', async () => {
    const broken = GOOD.replace(/\*MATERIAL, NAME=STEEL\n\*ELASTIC\n[^\n]*\n/, '');
    expect(broken).not.toContain('*ELASTIC');
    const { runId } = await solve('no-material', broken);
    const failure = await fetchRun(jobs, runId).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CalculixError);
    const error = failure as CalculixError;
    expect(error.message).toContain('*ERROR');
    expect(error.message).toMatch(/nonexistent material|no material was assigned/);
    // The message is CalculiX's, word for word, as it printed it.
    const printed = await readFile(path.join(jobs.dirOf(runId), 'ccx.out'), 'utf8');
    for (const message of error.messages) {
      const firstLine = printed.split('\n').find((line) => message.startsWith(line.trim()));
      expect(firstLine, message).toBeDefined();
    }
  });

  it('an unsupported model fails although CalculiX exits 0 and says nothing', async () => {
    const free = GOOD.replace(/\*BOUNDARY\n[^\n]*\n[^\n]*\n/, '*BOUNDARY\n');
    expect(free).not.toContain('ROOT, 1, 1');
    const { runId, exitCode } = await solve('no-support', free);
    expect(exitCode).toBe(0);
    await expect(fetchRun(jobs, runId)).rejects.toBeInstanceOf(UnrestrainedModelError);
  });

  it('a deck CalculiX cannot read fails with its message', async () => {
    const { runId } = await solve('bad-card', GOOD.replace('*STATIC', '*STATIK'));
    await expect(fetchRun(jobs, runId)).rejects.toThrow(/exit code 201.*\*WARNING.*\*STATIK/);
  });

  it('a good run is fetched alike twice; one not finished is refused', async () => {
    const { runId } = await solve('good', GOOD);
    const first = await fetchRun(jobs, runId);
    const again = await fetchRun(jobs, runId);
    expect([...again.displacements]).toEqual([...first.displacements]);
    const pending = jobs.dirOf(CcxJobs.runIdOf('never-submitted'));
    await expect(fetchRun(jobs, path.basename(pending))).rejects.toThrow(/has not finished/);
  });
});

/** The pid of a run's wrapper, from its claim (`pid host`, the host being this one). */
async function wrapperOf(dir: string): Promise<number> {
  const [pid, host] = (await readFile(path.join(dir, RUN_FILES.started), 'utf8')).trim().split(' ');
  expect(host).toBe(hostname());
  return Number(pid);
}

describe.skipIf(skip)('CalculiX runs killed from outside', () => {
  let root: Awaited<ReturnType<typeof scratch>>;
  let jobs: CcxJobs;

  beforeAll(async () => {
    root = await scratch('cae-killed');
    jobs = new CcxJobs(root.dir);
  });
  afterAll(() => root?.remove());

  /** Submits a slow deck and returns the wrapper's pid and the running ccx's. */
  async function running(key: string) {
    const { runId, dir } = await jobs.submit(key, gridDeck(100, 30));
    const wrapper = await wrapperOf(dir);
    const [ccx] = await waitFor('ccx to run', async () => {
      const found = ccxProcessesIn(dir);
      return found.length > 0 ? found : undefined;
    });
    return { runId, wrapper, ccx: ccx! };
  }

  it('ccx killed: the run ends with its signal status and fetch refuses it', async () => {
    const { runId, ccx } = await running('ccx-killed');
    process.kill(ccx, 'SIGKILL');
    expect(await jobs.wait(runId)).toEqual({ exitCode: 137, signal: 'SIGKILL' });
    await expect(fetchRun(jobs, runId)).rejects.toThrow(/exit code 137.*killed by SIGKILL/);
  });

  it('wrapper and ccx killed: wait reports the run lost, not finished', async () => {
    const { runId, wrapper, ccx } = await running('all-killed');
    process.kill(wrapper, 'SIGKILL');
    process.kill(ccx, 'SIGKILL');
    await expect(jobs.wait(runId)).rejects.toBeInstanceOf(LostRunError);
    expect(await jobs.state(runId)).toEqual({ state: 'lost' });
  });

  it('a killed run is started again once, however many callers replace it', async () => {
    const deck = gridDeck(100, 30);
    const { runId, ccx } = await running('rerun-killed');
    // Still running: replacing it returns it, starting nothing.
    expect(await jobs.rerun('rerun-killed', deck, runId)).toMatchObject({
      runId,
      startedNow: false,
    });
    process.kill(ccx, 'SIGKILL');
    await jobs.wait(runId);
    const callers = await Promise.all([1, 2, 3].map(() => jobs.rerun('rerun-killed', deck, runId)));
    const next = callers[0]!.runId;
    expect(next).not.toBe(runId);
    expect(new Set(callers.map((c) => c.runId))).toEqual(new Set([next]));
    expect(callers.filter((c) => c.startedNow)).toHaveLength(1);
    expect(await jobs.wait(next)).toEqual({ exitCode: 0 });
    expect((await fetchRun(jobs, next)).exitCode).toBe(0);
    const starts = await readFile(path.join(jobs.dirOf(next), RUN_FILES.starts), 'utf8');
    expect(starts.trim().split('\n')).toHaveLength(1);
    // A run that ran to its end is never rerun: the same deck would end the same way.
    await expect(jobs.rerun('rerun-killed', deck, next)).rejects.toBeInstanceOf(FinishedRunError);
    // Another key's run, or another deck, is not this key's to replace.
    await expect(jobs.rerun('another-key', deck, runId)).rejects.toBeInstanceOf(
      IdempotencyConflictError,
    );
  });

  it('a lost run is started again; a deck killed every time stops at the limit', async () => {
    const limited = new CcxJobs(path.join(root.dir, 'limited'), { maxStarts: 2 });
    const deck = gridDeck(100, 30);
    const first = await limited.submit('killed-twice', deck);
    const killEach = async (runId: string, dir: string, wrapperToo: boolean) => {
      const [ccx] = await waitFor('ccx to run', async () => {
        const found = ccxProcessesIn(dir);
        return found.length > 0 ? found : undefined;
      });
      if (wrapperToo) {
        process.kill(await wrapperOf(dir), 'SIGKILL');
      }
      process.kill(ccx!, 'SIGKILL');
      await limited.wait(runId).catch(() => undefined);
    };
    await killEach(first.runId, first.dir, true);
    expect(await limited.state(first.runId)).toEqual({ state: 'lost' });
    const second = await limited.rerun('killed-twice', deck, first.runId);
    expect(second.startedNow).toBe(true);
    await killEach(second.runId, second.dir, false);
    expect(await limited.state(second.runId)).toMatchObject({ state: 'killed', signal: 'SIGKILL' });
    await expect(limited.rerun('killed-twice', deck, second.runId)).rejects.toBeInstanceOf(
      RerunLimitError,
    );
  });
});
