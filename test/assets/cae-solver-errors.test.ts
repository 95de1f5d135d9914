// CalculiX failures become errors carrying CalculiX's own message, never a result: a deck
// without its material (CalculiX exits 201 and says so), and a model with no support (CalculiX
// exits 0 and says nothing: the results are caught instead). Also: a finished run fetched again
// gives the same numbers, fetching a run still running is refused, a ccx killed from outside
// ends its run with the signal's status, and a run whose processes all died is reported lost.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CalculixError,
  CcxJobs,
  LostRunError,
  UnrestrainedModelError,
  fetchRun,
} from '../../assets/tools/cae/index.js';
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
    const wrapper = Number((await readFile(path.join(dir, 'started'), 'utf8')).trim());
    const [ccx] = await waitFor('ccx to run', async () => {
      const found = ccxProcessesIn(dir);
      return found.length > 0 ? found : undefined;
    });
    return { runId, wrapper, ccx: ccx! };
  }

  it('ccx killed: the run ends with its signal status and fetch refuses it', async () => {
    const { runId, ccx } = await running('ccx-killed');
    process.kill(ccx, 'SIGKILL');
    expect((await jobs.wait(runId)).exitCode).toBe(137);
    await expect(fetchRun(jobs, runId)).rejects.toThrow(/exit code 137/);
  });

  it('wrapper and ccx killed: wait reports the run lost, not finished', async () => {
    const { runId, wrapper, ccx } = await running('all-killed');
    process.kill(wrapper, 'SIGKILL');
    process.kill(ccx, 'SIGKILL');
    await expect(jobs.wait(runId)).rejects.toBeInstanceOf(LostRunError);
  });
});
