// The Slurm client against a real single-node Slurm 22.05 cluster (test/support/slurm-cluster.ts):
// real jobs that succeed, fail, are cancelled with scancel and exceed their time limit, all
// polled together, one poll per interval. Skips, printing why, only when Slurm cannot be installed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeExecutor, slurm, type SlurmExecutorInput } from '../../src/definitions/slurm.js';
import {
  createSlurmClient,
  describeSlurmFailure,
  type SlurmClient,
  type SlurmJobStatus,
} from '../../src/executor/slurm/index.js';
import { startSlurmCluster } from '../support/slurm-cluster.js';

const cluster = await startSlurmCluster();
if (!cluster.available) console.warn(`skipping the Slurm cluster tests: ${cluster.reason}`);
else console.info(`Slurm cluster started in ${cluster.startMs} ms`);
afterAll(async () => {
  if (cluster.available) await cluster.stop();
});

/** Slurm checks time limits every 30 s, so a 1-minute limit ends the job within about 90 s. */
const TIMEOUT_JOB_BOUND_MS = 150_000;
const POLL_INTERVAL_MS = 500;

const executor = (input: SlurmExecutorInput) => normalizeExecutor(slurm(input), 'test executor')!;

describe.skipIf(!cluster.available)('Slurm client on a real cluster', () => {
  const { env, stateDir } = cluster.available ? cluster : { env: {}, stateDir: '' };
  const jobsDir = path.join(stateDir, 'jobs');
  const client: SlurmClient = createSlurmClient({ env, scriptDir: path.join(stateDir, 'scripts') });
  const submit = (name: string, script: string, input: SlurmExecutorInput = {}) =>
    client.submit({
      name,
      command: ['/bin/sh', '-c', script],
      outputPath: path.join(jobsDir, `${name}-%j.out`),
      workDir: jobsDir,
      env: { PATH: '/usr/bin:/bin', STRATA_JOB_MARK: 'mark-1' },
      executor: executor(input),
    });

  /** Polls all `ids` in one call per interval until `done` holds for the statuses, or `boundMs`. */
  async function pollUntil(
    ids: readonly string[],
    done: (statuses: Map<string, SlurmJobStatus>) => boolean,
    boundMs: number,
  ): Promise<{ statuses: Map<string, SlurmJobStatus>; polls: number }> {
    const deadline = Date.now() + boundMs;
    for (let polls = 1; ; polls++) {
      const statuses = await client.poll(ids);
      expect([...statuses.keys()].sort()).toEqual([...ids].sort());
      if (done(statuses)) return { statuses, polls };
      if (Date.now() > deadline)
        throw new Error(
          `jobs did not get there in ${boundMs} ms: ${JSON.stringify([...statuses.values()])}`,
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  it(
    'submits jobs that succeed, fail, get cancelled and time out, and polls them all at once',
    async () => {
      // Two CPUs: the time-limited job and the one to cancel start first.
      const timeout = await submit('timeout', 'sleep 600', { time: 1 });
      const cancelled = await submit('cancel', 'sleep 600', { cpus: 1, memory: '64M' });
      const succeeded = await submit(
        'ok',
        'echo "mark=$STRATA_JOB_MARK secret=${STRATA_TEST_SECRET:-absent}"',
      );
      const failed = await submit('fail', 'exit 3');
      const ids = [timeout, cancelled, succeeded, failed];
      expect(new Set(ids).size).toBe(4);

      await pollUntil([cancelled], (s) => s.get(cancelled)!.state === 'RUNNING', 30_000);
      await client.cancel([cancelled]);

      const { statuses } = await pollUntil(
        ids,
        (s) => [...s.values()].every((status) => status.outcome !== 'waiting'),
        TIMEOUT_JOB_BOUND_MS,
      );
      expect(statuses.get(succeeded)).toMatchObject({
        state: 'COMPLETED',
        outcome: 'ended',
        exitCode: { code: 0, signal: 0 },
        partition: 'debug',
      });
      expect(statuses.get(succeeded)!.nodes).toBeDefined();
      expect(statuses.get(failed)).toMatchObject({
        state: 'FAILED',
        outcome: 'failed',
        reason: 'NonZeroExitCode',
        exitCode: { code: 3, signal: 0 },
      });
      expect(statuses.get(cancelled)).toMatchObject({ state: 'CANCELLED', outcome: 'failed' });
      expect(statuses.get(timeout)).toMatchObject({
        state: 'TIMEOUT',
        outcome: 'failed',
        reason: 'TimeLimit',
      });
      expect(statuses.get(timeout)!.elapsedSeconds).toBeGreaterThanOrEqual(60);
      expect(describeSlurmFailure(statuses.get(timeout)!)).toMatch(
        new RegExp(`^Slurm job ${timeout} ended TIMEOUT \\(reason TimeLimit\\)`),
      );
      // The job got the variable it was given and none of the worker's.
      const output = await readFile(path.join(jobsDir, `ok-${succeeded}.out`), 'utf8');
      expect(output.trim()).toBe('mark=mark-1 secret=absent');
      // No slurmdbd here: sacct says so once and accounting comes from the controller.
      expect(client.accountingUnavailable ?? 'sacct answered').toMatch(
        /accounting storage is disabled|not installed|sacct answered/,
      );
      // Cancelling jobs that already ended changes nothing and does not fail.
      await client.cancel(ids);
      expect((await client.poll([succeeded])).get(succeeded)!.state).toBe('COMPLETED');
    },
    TIMEOUT_JOB_BOUND_MS + 60_000,
  );

  it('reports a job id no Slurm command knows as UNKNOWN and failed', async () => {
    const statuses = await client.poll(['999999']);
    expect(statuses.get('999999')).toMatchObject({
      state: 'UNKNOWN',
      outcome: 'failed',
      source: 'none',
    });
    expect(describeSlurmFailure(statuses.get('999999')!)).toMatch(
      /unknown to squeue, scontrol and sacct/,
    );
  });

  it('refuses job ids that are not numbers before running anything', async () => {
    await expect(client.poll(['1;rm -rf /'])).rejects.toThrow(/is not a Slurm job id/);
    await expect(client.cancel(['--all'])).rejects.toThrow(/is not a Slurm job id/);
  });
});
