// The Slurm client's parsing and state mapping, table-driven over output captured from Slurm
// 22.05's squeue and scontrol (test/fixtures/slurm/README.md), and the sbatch arguments it builds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeExecutor, slurm, type SlurmExecutorInput } from '../../src/definitions/slurm.js';
import {
  describeSlurmFailure,
  normalizeSlurmState,
  parseExitCode,
  parseKeyValues,
  parseSacct,
  parseScontrolJobs,
  parseSlurmDuration,
  parseSlurmSize,
  parseSqueue,
  parseSubmittedJobId,
  sbatchArgs,
  SLURM_STATE_OUTCOMES,
  slurmOutcome,
  type SlurmJobRequest,
} from '../../src/executor/slurm/index.js';
import { UNKNOWN_JOB_ERROR } from '../../src/executor/slurm/parse-squeue.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/slurm/${name}`, import.meta.url), 'utf8');

describe('Slurm states', () => {
  it.each([
    ['PENDING', 'waiting'],
    ['CONFIGURING', 'waiting'],
    ['RUNNING', 'waiting'],
    ['COMPLETING', 'waiting'],
    ['SUSPENDED', 'waiting'],
    ['REQUEUED', 'waiting'],
    ['REQUEUE_HOLD', 'waiting'],
    ['PREEMPTED', 'waiting'],
    ['RESIZING', 'waiting'],
    ['COMPLETED', 'ended'],
    ['FAILED', 'failed'],
    ['NODE_FAIL', 'failed'],
    ['TIMEOUT', 'failed'],
    ['OUT_OF_MEMORY', 'failed'],
    ['CANCELLED', 'failed'],
    ['BOOT_FAIL', 'failed'],
    ['DEADLINE', 'failed'],
    // As sacct and squeue's short codes print them.
    ['CANCELLED by 1000', 'failed'],
    ['CANCELLED+', 'failed'],
    ['CD', 'ended'],
    ['PD', 'waiting'],
    ['TO', 'failed'],
    ['OOM', 'failed'],
    ['running', 'waiting'],
    // A state this Slurm does not have waits: it ends up UNKNOWN (failed) after MinJobAge.
    ['SOME_FUTURE_STATE', 'waiting'],
  ])('%s -> %s', (state, outcome) => {
    expect(slurmOutcome(state)).toBe(outcome);
  });

  it('names every failure state the issue lists as failed, and only COMPLETED as ended', () => {
    const ended = Object.entries(SLURM_STATE_OUTCOMES).filter(([, o]) => o === 'ended');
    expect(ended.map(([state]) => state)).toEqual(['COMPLETED']);
    expect(normalizeSlurmState('CANCELLED by 0')).toBe('CANCELLED');
  });
});

describe('Slurm fields', () => {
  it.each([
    ['0:03', 3],
    ['1:20', 80],
    ['00:01:20', 80],
    ['1:02:03', 3723],
    ['2-01:02:03', 176_523],
    ['00:01.234', 1.234],
    ['1-02:00:00', 93_600],
    ['', undefined],
    ['INVALID', undefined],
    ['UNLIMITED', undefined],
    ['soon', undefined],
  ])('duration %j -> %j s', (text, seconds) => {
    expect(parseSlurmDuration(text)).toBe(seconds);
  });

  it.each([
    ['1523412K', 1523412 * 1024],
    ['64M', 64 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
    ['0', 0],
    ['', undefined],
    ['lots', undefined],
  ])('size %j -> %j bytes', (text, bytes) => {
    expect(parseSlurmSize(text)).toBe(bytes);
  });

  it.each([
    ['0:0', { code: 0, signal: 0 }],
    ['3:0', { code: 3, signal: 0 }],
    ['0:15', { code: 0, signal: 15 }],
    ['N/A', undefined],
  ])('exit code %j', (text, exit) => {
    expect(parseExitCode(text)).toEqual(exit);
  });

  it.each([
    ['41', '41'],
    ['41;strata', '41'],
    ['41\n', '41'],
    ['Submitted batch job 41', undefined],
    ['', undefined],
  ])('sbatch --parsable %j -> job id %j', (stdout, id) => {
    expect(parseSubmittedJobId(stdout)).toBe(id);
  });
});

describe('squeue output', () => {
  it('reads the active jobs of 22.05 squeue; finished and forgotten ids are absent', () => {
    const jobs = parseSqueue(fixture('squeue-active.txt'));
    expect([...jobs.keys()].sort()).toEqual(['11', '12', '13']);
    expect(jobs.get('13')).toMatchObject({
      state: 'PENDING',
      outcome: 'waiting',
      reason: 'Resources',
      partition: 'debug',
      nodes: undefined,
      elapsedSeconds: 0,
      source: 'squeue',
    });
    expect(jobs.get('11')).toMatchObject({
      state: 'RUNNING',
      outcome: 'waiting',
      reason: undefined, // Slurm's "None"
      nodes: 'vm',
      elapsedSeconds: 1,
    });
  });

  it('recognizes the error for unknown job ids and refuses a line of another format', () => {
    expect(UNKNOWN_JOB_ERROR.test(fixture('squeue-unknown.stderr'))).toBe(true);
    expect(UNKNOWN_JOB_ERROR.test(fixture('scontrol-unknown.stderr'))).toBe(true);
    expect(() => parseSqueue('11 RUNNING vm\n')).toThrow(/not the 6 fields/);
  });
});

describe('scontrol show job -o output', () => {
  const jobs = parseScontrolJobs(fixture('scontrol-show-job-finished.txt'));

  it.each([
    ['5', 'COMPLETED', 'ended', undefined, { code: 0, signal: 0 }, 3, 'vm'],
    ['6', 'FAILED', 'failed', 'NonZeroExitCode', { code: 3, signal: 0 }, 1, 'vm'],
    ['7', 'TIMEOUT', 'failed', 'TimeLimit', { code: 0, signal: 15 }, 80, 'vm'],
    ['8', 'CANCELLED', 'failed', 'Priority', { code: 0, signal: 0 }, 0, undefined],
    ['9', 'COMPLETED', 'ended', undefined, { code: 0, signal: 0 }, 1, 'vm'],
  ])('job %s: %s (%s), reason %s', (id, state, outcome, reason, exitCode, elapsed, nodes) => {
    expect(jobs.get(id)).toEqual({
      jobId: id,
      state,
      outcome,
      reason,
      partition: 'debug',
      nodes,
      elapsedSeconds: elapsed,
      cpuSeconds: undefined,
      maxRssBytes: undefined,
      exitCode,
      source: 'scontrol',
    });
  });

  it('reads a running job and keys with : and / in their names', () => {
    const running = parseScontrolJobs(fixture('scontrol-show-job-running.txt'));
    expect(running.get('11')).toMatchObject({ state: 'RUNNING', outcome: 'waiting', nodes: 'vm' });
    const pairs = parseKeyValues(fixture('scontrol-show-job-running.txt'));
    expect(pairs.get('AllocNode:Sid')).toMatch(/^\S+:\d+$/);
    expect(pairs.get('CPUs/Task')).toBe('1');
  });

  it('names the state, reason, node and partition in the failure message', () => {
    expect(describeSlurmFailure(jobs.get('7')!)).toBe(
      'Slurm job 7 ended TIMEOUT (reason TimeLimit) on vm in partition debug after 80 s, exit code 0, signal 15',
    );
    expect(describeSlurmFailure(jobs.get('6')!)).toMatch(
      /FAILED \(reason NonZeroExitCode\).*exit code 3/,
    );
  });
});

describe('sacct --parsable2 output', () => {
  const jobs = parseSacct(fixture('sacct-parsable2.txt'));

  it.each([
    ['41', 'COMPLETED', 'ended', 125, 119.512, 1523412 * 1024, 'node07', 'fea'],
    ['42', 'OUT_OF_MEMORY', 'failed', 31, 29.1, 4194304 * 1024, 'node03', 'fea'],
    ['43', 'CANCELLED', 'failed', 93_600, 172_801, 65536 * 1024 ** 2, 'node01,node02', 'long'],
  ])(
    'job %s: %s, accounting from the job and its steps',
    (id, state, outcome, elapsed, cpu, rss, nodes, partition) => {
      expect(jobs.get(id)).toMatchObject({
        state,
        outcome,
        elapsedSeconds: elapsed,
        cpuSeconds: cpu,
        maxRssBytes: rss,
        nodes,
        partition,
        source: 'sacct',
      });
    },
  );

  it('has one entry per job, none per step', () => {
    expect([...jobs.keys()]).toEqual(['41', '42', '43']);
  });
});

describe('sbatch arguments', () => {
  const executor = normalizeExecutor(
    slurm({
      partition: 'fea',
      cpus: 4,
      memory: '8G',
      time: '1:00:00',
      account: 'proj',
      qos: 'normal',
      extra: ['--constraint=avx2', '--exclusive'],
    }),
    'test',
  )!;
  const job: SlurmJobRequest = {
    name: 'strata-attempt-42',
    command: ['/usr/bin/node', '/opt/strata/bin/strata.js', 'slurm-step', '--attempt', '42'],
    outputPath: '/shared/strata/jobs/%j.out',
    workDir: '/shared/strata',
    env: { PATH: '/usr/bin:/bin', STRATA_SLURM_ENV_FILE: '/home/u/.strata/attempt-42.env' },
    executor,
  };

  it('passes every option, the environment by name and value only, and the command as arguments', () => {
    expect(sbatchArgs(job, '/tmp/strata-exec.sh')).toEqual([
      '--parsable',
      '--job-name=strata-attempt-42',
      '--output=/shared/strata/jobs/%j.out',
      '--chdir=/shared/strata',
      '--export=PATH=/usr/bin:/bin,STRATA_SLURM_ENV_FILE=/home/u/.strata/attempt-42.env',
      '--partition=fea',
      '--cpus-per-task=4',
      '--mem=8G',
      '--time=1:00:00',
      '--account=proj',
      '--qos=normal',
      '--constraint=avx2',
      '--exclusive',
      '/tmp/strata-exec.sh',
      '/usr/bin/node',
      '/opt/strata/bin/strata.js',
      'slurm-step',
      '--attempt',
      '42',
    ]);
  });

  it("exports nothing but Slurm's own without variables", () => {
    expect(sbatchArgs({ ...job, env: {} }, '/w.sh')).toContain('--export=NIL');
  });

  it.each([
    [{ env: { DATABASE_URL: 'postgres://h/db' } }, /DATABASE_URL looks like a credential/],
    [{ env: { STRATA_TOKEN: 'abc' } }, /STRATA_TOKEN looks like a credential/],
    [{ env: { CONN: 'postgres://u:secret@h/db' } }, /CONN looks like a credential/],
    [{ env: { LIST: 'a,b' } }, /LIST contains a comma/],
    [{ env: { SLURM_CONF: '/x' } }, /SLURM_CONF.*not a variable the job may set/],
    [{ name: 'has space' }, /name must be/],
    [{ command: ['node', 'x.js'] }, /absolute program path/],
    [{ outputPath: 'out/%j.log' }, /outputPath must be an absolute path/],
  ])('refuses %j', (override, message) => {
    expect(() => sbatchArgs({ ...job, ...override } as SlurmJobRequest, '/w.sh')).toThrow(message);
  });
});

describe('slurm() declarations', () => {
  it.each<[SlurmExecutorInput, string]>([
    [{ time: 90 }, '90'],
    [{ time: '30:00' }, '30:00'],
    [{ time: '4:00:00' }, '4:00:00'],
    [{ time: '2-12' }, '2-12'],
    [{ time: '2-12:30:00' }, '2-12:30:00'],
  ])('accepts time %j', (input, time) => {
    expect(normalizeExecutor(slurm(input), 'x')?.time).toBe(time);
  });

  it.each<[unknown, RegExp]>([
    [{ time: '4h' }, /^asset fea: executor\.time: must be minutes/],
    [{ time: 0 }, /^asset fea: executor\.time/],
    [{ memory: '4GB' }, /^asset fea: executor\.memory: must be a size such as 4G/],
    [{ cpus: 0 }, /^asset fea: executor\.cpus: must be at least 1/],
    [{ cpus: 1.5 }, /^asset fea: executor\.cpus: must be a whole number/],
    [{ partition: 'a b' }, /^asset fea: executor\.partition: must be a partition name/],
    [{ account: 'x;rm' }, /^asset fea: executor\.account/],
    [{ extra: ['-N2'] }, /^asset fea: executor\.extra\.0: must be a long sbatch option/],
    [{ extra: ['--export=ALL'] }, /^asset fea: executor\.extra\.0: is set by strata/],
    [{ extra: ['--output=/tmp/x'] }, /executor\.extra\.0: is set by strata/],
    [{ nodes: 2 }, /^asset fea: executor: unknown option "nodes"/],
  ])('refuses %j naming the asset and field', (input, message) => {
    expect(() =>
      normalizeExecutor(slurm(input as SlurmExecutorInput), 'asset fea: executor'),
    ).toThrow(message);
  });

  it('refuses what is not a slurm() declaration', () => {
    expect(() => normalizeExecutor({ partition: 'x' }, 'asset fea: executor')).toThrow(
      /asset fea: executor: declare it with slurm/,
    );
  });
});
