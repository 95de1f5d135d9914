// CalculiX runs as detached, long-running jobs behind an idempotency key: submit / wait / fetch.
//
// - `submit(key, deck)` names the run after the key (`ccx-<sha256(key)>`), records the key and the
//   deck's hash once, and starts ccx through a tiny sh wrapper, detached (its own session: the
//   caller may die, ccx carries on). The wrapper claims the run by creating `started` with
//   O_EXCL (sh's noclobber) and exits at once if it exists: however many callers, processes or
//   retries submit one key, at most one ccx ever starts for it. A call that finds the run
//   started returns its id and starts nothing.
// - `wait(runId)` polls the wrapper's process and its exit-status file (no pipe to block on, so a
//   caller that died and came back reattaches to the running ccx just by waiting on the id), and
//   heartbeats through a callback with ccx's latest progress line (its `.sta`).
// - The run directory may be shared between hosts (a Slurm job retried on another node waits on
//   the run the first job started). A pid and its /proc stamp mean something only on the host
//   that started the wrapper, so `launch.json` records that host (os.hostname()): there, a
//   wrapper gone without an exit status is a lost run (LostRunError); on any other host, `wait`
//   does not judge liveness and waits for the exit-status file. The trade-off: a run lost on
//   another host (its node rebooted or its wrapper killed) is not detected from here: `wait`
//   waits on until the caller gives up (`timeoutMs`, the step's time limit, the Slurm job's
//   `time`) or a waiter on the launch host sees the run lost; removing the run's directory then
//   frees its key. A run launched before hosts were recorded is judged as a local one.
// - `fetch(runId)` (./ccx-fetch.ts) reads the results and CalculiX's own error messages.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { minimalEnv, requireProgram } from './binaries.js';
import { createWhole } from '../create-whole.js';
import { groupAlive, isAlive, processStamp } from '../process-alive.js';
import { RUN_FILES, readIfExists, writeWhole } from './run-files.js';
import { ccxVersion } from './versions.js';

/** How often `wait` looks at the run, and how often it heartbeats, by default (ms). */
const POLL_MS = 100;
const HEARTBEAT_MS = 1_000;
/** How long `submit` waits for its wrapper to claim the run or step aside (ms). */
const CLAIM_TIMEOUT_MS = 10_000;

/**
 * The wrapper: claim the run (O_EXCL), log the start, run ccx ($1) on job.inp, then write its
 * exit code whole. Run with `sh -c WRAPPER sh /path/to/ccx` in the run directory.
 */
const WRAPPER = [
  'set -C',
  `if ! { echo "$$" > ${RUN_FILES.started}; } 2>/dev/null; then exit 0; fi`,
  'set +C',
  `echo "$$ $(date +%s)" >> ${RUN_FILES.starts}`,
  `"$1" -i job > ${RUN_FILES.output} 2>&1`,
  'code=$?',
  `echo "$code" > ${RUN_FILES.exitStatus}.draft`,
  `mv -f ${RUN_FILES.exitStatus}.draft ${RUN_FILES.exitStatus}`,
].join('\n');

/** One key submitted again with another deck: the key names a piece of work, not a slot. */
export class IdempotencyConflictError extends Error {
  constructor(runId: string) {
    super(`run ${runId}: this idempotency key was submitted before with a different deck`);
    this.name = 'IdempotencyConflictError';
  }
}

/** A run whose wrapper is gone without an exit status (killed, or the machine restarted). */
export class LostRunError extends Error {
  constructor(runId: string) {
    super(
      `run ${runId}: ccx is no longer running and left no exit status (killed?); its key stays ` +
        `taken: remove the run's directory to run it again`,
    );
    this.name = 'LostRunError';
  }
}

/** What `submit` answers. */
export interface Submitted {
  readonly runId: string;
  readonly dir: string;
  /** True when this call started ccx; false when the run had been started before. */
  readonly startedNow: boolean;
}

/** What `wait` hears while ccx runs. */
export interface Heartbeat {
  readonly runId: string;
  readonly pid: number;
  readonly elapsedMs: number;
  /** ccx's latest `.sta` line (step, increment, time), when there is one. */
  readonly progress: string | undefined;
}

/** Options of `wait`. */
export interface WaitOptions {
  readonly onHeartbeat?: (beat: Heartbeat) => void;
  readonly pollMs?: number;
  readonly heartbeatMs?: number;
  /** Gives up waiting (ccx keeps running; wait again to reattach). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** The CalculiX runs kept under one directory. */
export class CcxJobs {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The run id of an idempotency key. */
  static runIdOf(key: string): string {
    return `ccx-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
  }

  /** The directory of a run. */
  dirOf(runId: string): string {
    if (!/^ccx-[0-9a-f]{16}$/.test(runId)) throw new Error(`not a ccx run id: ${runId}`);
    return path.join(this.root, runId);
  }

  /** Starts ccx on `deck` for `key`, once: a key already submitted returns its run, untouched. */
  async submit(key: string, deck: string): Promise<Submitted> {
    const runId = CcxJobs.runIdOf(key);
    const dir = this.dirOf(runId);
    await mkdir(dir, { recursive: true });
    const deckSha256 = createHash('sha256').update(deck).digest('hex');
    const submission = JSON.stringify({ key, deckSha256, ccxVersion: await ccxVersion() });
    const file = (name: string) => path.join(dir, name);
    if (!(await createWhole(file(RUN_FILES.submission), `${submission}\n`))) {
      const recorded = JSON.parse((await readIfExists(file(RUN_FILES.submission))) ?? '{}') as {
        key?: string;
        deckSha256?: string;
      };
      if (recorded.key !== key || recorded.deckSha256 !== deckSha256) {
        throw new IdempotencyConflictError(runId);
      }
    }
    await createWhole(file(RUN_FILES.deck), deck);
    if ((await readIfExists(file(RUN_FILES.started))) !== undefined) {
      return { runId, dir, startedNow: false };
    }
    const child = spawn('/bin/sh', ['-c', WRAPPER, 'sh', requireProgram('ccx')], {
      cwd: dir,
      env: minimalEnv(dir),
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    child.unref();
    const claimedBy = await this.#claimant(dir, exited);
    if (claimedBy !== child.pid) return { runId, dir, startedNow: false };
    const stamp = processStamp(claimedBy);
    await writeWhole(
      file(RUN_FILES.launch),
      `${JSON.stringify({ pid: claimedBy, stamp, host: hostname(), startedAt: new Date().toISOString() })}\n`,
    );
    return { runId, dir, startedNow: true };
  }

  /** Waits for ccx to end; resolves with its exit code (fetch judges the results). */
  async wait(runId: string, options: WaitOptions = {}): Promise<{ exitCode: number }> {
    const dir = this.dirOf(runId);
    const started = Date.now();
    let lastBeat = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const status = await readIfExists(path.join(dir, RUN_FILES.exitStatus));
      if (status !== undefined) return { exitCode: Number.parseInt(status.trim(), 10) };
      const { pid, stamp, host } = await this.#wrapper(dir, runId);
      // The wrapper leads a process group: ccx, in it, may outlive a killed wrapper. A wrapper
      // started on another host is not judged by its pid here: only its exit status ends it.
      const local = host === undefined || host === hostname();
      if (local && !isAlive(pid, stamp) && !groupAlive(pid)) {
        // It may have written its status between the two looks.
        if ((await readIfExists(path.join(dir, RUN_FILES.exitStatus))) !== undefined) continue;
        throw new LostRunError(runId);
      }
      const now = Date.now();
      if (options.onHeartbeat && now - lastBeat >= (options.heartbeatMs ?? HEARTBEAT_MS)) {
        lastBeat = now;
        const sta = await readIfExists(path.join(dir, RUN_FILES.sta));
        const progress = sta?.trim().split('\n').slice(2).at(-1)?.trim();
        options.onHeartbeat({ runId, pid, elapsedMs: now - started, progress });
      }
      if (options.timeoutMs !== undefined && now - started > options.timeoutMs) {
        throw new Error(`run ${runId}: still running after ${options.timeoutMs} ms (pid ${pid})`);
      }
      await delay(options.pollMs ?? POLL_MS, undefined, { signal: options.signal });
    }
  }

  /** The pid of the run's wrapper, and its start stamp and host when the launch recorded them. */
  async #wrapper(
    dir: string,
    runId: string,
  ): Promise<{ pid: number; stamp?: string; host?: string }> {
    const started = await readIfExists(path.join(dir, RUN_FILES.started));
    if (started === undefined || started.trim() === '') {
      throw new Error(`run ${runId} was never started: submit it first`);
    }
    const pid = Number.parseInt(started.trim(), 10);
    const launch = await readIfExists(path.join(dir, RUN_FILES.launch));
    const { stamp, host } =
      launch === undefined ? {} : (JSON.parse(launch) as { stamp?: string; host?: string });
    return {
      pid,
      ...(stamp === undefined ? {} : { stamp }),
      ...(host === undefined ? {} : { host }),
    };
  }

  /** The pid that claimed the run, once `started` holds it (this wrapper's or an earlier one's). */
  async #claimant(dir: string, exited: Promise<void>): Promise<number> {
    let done = false;
    void exited.then(() => (done = true));
    const deadline = Date.now() + CLAIM_TIMEOUT_MS;
    for (;;) {
      const started = (await readIfExists(path.join(dir, RUN_FILES.started)))?.trim();
      if (started !== undefined && started !== '') return Number.parseInt(started, 10);
      if (done && started === undefined) {
        throw new Error(`ccx wrapper in ${dir} exited without claiming the run`);
      }
      if (Date.now() > deadline) throw new Error(`ccx wrapper in ${dir} did not start`);
      await delay(5);
    }
  }
}
