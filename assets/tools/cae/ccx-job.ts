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
//   that started the wrapper, so the wrapper writes its host (uname -n) beside its pid in
//   `started`, the claim itself: there, a wrapper gone without an exit status is a lost run
//   (LostRunError); on any other host, `wait` does not judge liveness and waits for the
//   exit-status file. The trade-off: a run lost on another host (its node rebooted or its
//   wrapper killed) is not detected from here: `wait` waits on until the caller gives up
//   (`timeoutMs`, the step's time limit, the Slurm job's `time`) or a waiter on the launch host
//   sees the run lost (and reruns it). A run claimed before hosts were recorded is judged as a
//   local one.
// - `fetch(runId)` (./ccx-fetch.ts) reads the results and CalculiX's own error messages.
// - `rerun(key, deck, runId)` starts a key's next generation after its run `runId` died without
//   finishing (ccx killed by a signal, e.g. the OOM killer or an operator; or the run lost): a
//   new run directory with its own O_EXCL claim, so however many callers ask to replace one dead
//   run, one ccx starts. A run still going is returned as it is, a run that ran to its end
//   (successfully or with CalculiX's error) is never rerun (the same deck would end the same
//   way), and a key is started at most `maxStarts` times in all (a deck that gets ccx killed every
//   time, by the OOM killer say, stops there).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { constants, hostname } from 'node:os';
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
/** How many times one key may start ccx by default (the first run and two reruns). */
const DEFAULT_MAX_STARTS = 3;
/** How long `submit` waits for its wrapper to claim the run or step aside (ms). */
const CLAIM_TIMEOUT_MS = 10_000;

/**
 * The wrapper: claim the run (O_EXCL), log the start, run ccx ($1) on job.inp, then write its
 * exit code whole. Run with `sh -c WRAPPER sh /path/to/ccx` in the run directory.
 */
const WRAPPER = [
  'set -C',
  `if ! { echo "$$ $(uname -n)" > ${RUN_FILES.started}; } 2>/dev/null; then exit 0; fi`,
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
      `run ${runId}: ccx is no longer running and left no exit status (killed with its ` +
        `wrapper, or its machine restarted); rerun starts the deck again in its place`,
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

/** How a run stands: still going, ended (by itself, or killed by a signal), or lost. */
export type RunState =
  | { readonly state: 'running'; readonly pid: number }
  | { readonly state: 'exited'; readonly exitCode: number }
  | { readonly state: 'killed'; readonly exitCode: number; readonly signal: string }
  | { readonly state: 'lost' };

/** How `wait` saw a run end: ccx's exit code, and the signal that killed it, if one did. */
export interface RunEnd {
  readonly exitCode: number;
  readonly signal?: string;
}

/** A rerun refused: the run it would replace finished, and the same deck would end the same way. */
export class FinishedRunError extends Error {
  constructor(runId: string, exitCode: number) {
    super(
      `run ${runId} ran to its end (exit code ${exitCode}): it is not rerun, the same deck ` +
        `would end the same way`,
    );
    this.name = 'FinishedRunError';
  }
}

/** A rerun refused: the key's runs have been started as often as allowed. */
export class RerunLimitError extends Error {
  constructor(runId: string, maxStarts: number) {
    super(
      `run ${runId} died without finishing and its deck has been started ${maxStarts} times, the ` +
        `limit: it is not started again (see why ccx was killed: memory, time limits)`,
    );
    this.name = 'RerunLimitError';
  }
}

/** The signal of a shell exit status above 128 (`sh` reports a child killed by signal N as 128+N). */
export function signalOfExitStatus(exitCode: number): string | undefined {
  if (exitCode <= 128) return undefined;
  const number = exitCode - 128;
  return Object.entries(constants.signals).find(([, n]) => n === number)?.[0];
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

/** The key of generation `generation` of `key`: the first is the key itself. */
function generationKey(key: string, generation: number): string {
  return generation === 1 ? key : `${key}\n#${generation}`;
}

/** The CalculiX runs kept under one directory. */
export class CcxJobs {
  readonly root: string;
  /** How many runs (generations) one key may start in all, reruns included. */
  readonly maxStarts: number;

  constructor(root: string, options: { readonly maxStarts?: number } = {}) {
    this.root = path.resolve(root);
    this.maxStarts = options.maxStarts ?? DEFAULT_MAX_STARTS;
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
  submit(key: string, deck: string): Promise<Submitted> {
    return this.#start(key, deck, 1);
  }

  /**
   * Starts the next generation of `key` in place of its run `runId`, which died without finishing
   * (killed, or lost); returns `runId` itself while it still runs, and the next generation as
   * `submit` would (untouched) when it was started before. Refuses a run that ran to its end.
   */
  async rerun(key: string, deck: string, runId: string): Promise<Submitted> {
    const recorded = await this.#submission(runId);
    const generation = recorded.generation ?? 1;
    if (recorded.key !== key || CcxJobs.runIdOf(generationKey(key, generation)) !== runId) {
      throw new IdempotencyConflictError(runId);
    }
    const now = await this.state(runId);
    if (now.state === 'running') return { runId, dir: this.dirOf(runId), startedNow: false };
    if (now.state === 'exited') throw new FinishedRunError(runId, now.exitCode);
    if (generation >= this.maxStarts) throw new RerunLimitError(runId, this.maxStarts);
    return this.#start(key, deck, generation + 1);
  }

  async #start(key: string, deck: string, generation: number): Promise<Submitted> {
    const runId = CcxJobs.runIdOf(generationKey(key, generation));
    const dir = this.dirOf(runId);
    await mkdir(dir, { recursive: true });
    const deckSha256 = createHash('sha256').update(deck).digest('hex');
    const submission = JSON.stringify({
      key,
      generation,
      deckSha256,
      ccxVersion: await ccxVersion(),
    });
    const file = (name: string) => path.join(dir, name);
    if (!(await createWhole(file(RUN_FILES.submission), `${submission}\n`))) {
      const recorded = await this.#submission(runId);
      if (
        recorded.key !== key ||
        recorded.deckSha256 !== deckSha256 ||
        (recorded.generation ?? 1) !== generation
      ) {
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
      `${JSON.stringify({ pid: claimedBy, stamp, startedAt: new Date().toISOString() })}\n`,
    );
    return { runId, dir, startedNow: true };
  }

  /** How the run stands now (without waiting). */
  async state(runId: string): Promise<RunState> {
    const dir = this.dirOf(runId);
    const ended = async (): Promise<RunState | undefined> => {
      const status = await readIfExists(path.join(dir, RUN_FILES.exitStatus));
      if (status === undefined) return undefined;
      const exitCode = Number.parseInt(status.trim(), 10);
      const signal = signalOfExitStatus(exitCode);
      return signal === undefined
        ? { state: 'exited', exitCode }
        : { state: 'killed', exitCode, signal };
    };
    const before = await ended();
    if (before !== undefined) return before;
    const { pid, stamp, host } = await this.#wrapper(dir, runId);
    // A wrapper started on another host is not judged by its pid here: only its exit status
    // ends it. On its own host, it leads a process group: ccx, in it, may outlive a killed
    // wrapper.
    if (host !== undefined && host !== hostname()) return { state: 'running', pid };
    if (isAlive(pid, stamp) || groupAlive(pid)) return { state: 'running', pid };
    // It may have written its status between the two looks.
    return (await ended()) ?? { state: 'lost' };
  }

  /** Waits for ccx to end; resolves with its exit code (fetch judges the results). */
  async wait(runId: string, options: WaitOptions = {}): Promise<RunEnd> {
    const dir = this.dirOf(runId);
    const started = Date.now();
    let lastBeat = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const now = await this.state(runId);
      if (now.state === 'exited') return { exitCode: now.exitCode };
      if (now.state === 'killed') return { exitCode: now.exitCode, signal: now.signal };
      if (now.state === 'lost') throw new LostRunError(runId);
      const { pid } = now;
      const at = Date.now();
      if (options.onHeartbeat && at - lastBeat >= (options.heartbeatMs ?? HEARTBEAT_MS)) {
        lastBeat = at;
        const sta = await readIfExists(path.join(dir, RUN_FILES.sta));
        const progress = sta?.trim().split('\n').slice(2).at(-1)?.trim();
        options.onHeartbeat({ runId, pid, elapsedMs: at - started, progress });
      }
      if (options.timeoutMs !== undefined && at - started > options.timeoutMs) {
        throw new Error(`run ${runId}: still running after ${options.timeoutMs} ms (pid ${pid})`);
      }
      await delay(options.pollMs ?? POLL_MS, undefined, { signal: options.signal });
    }
  }

  /** What `submit` recorded for a run. */
  async #submission(runId: string): Promise<{
    key?: string;
    generation?: number;
    deckSha256?: string;
  }> {
    const text = await readIfExists(path.join(this.dirOf(runId), RUN_FILES.submission));
    if (text === undefined) throw new Error(`run ${runId} was never submitted`);
    return JSON.parse(text) as { key?: string; generation?: number; deckSha256?: string };
  }

  /** The pid and host of the run's wrapper, and its start stamp when the launch recorded it. */
  async #wrapper(
    dir: string,
    runId: string,
  ): Promise<{ pid: number; stamp?: string; host?: string }> {
    const started = await readIfExists(path.join(dir, RUN_FILES.started));
    if (started === undefined || started.trim() === '') {
      throw new Error(`run ${runId} was never started: submit it first`);
    }
    // `pid host`: the host as the wrapper saw it (uname -n, which os.hostname() reads too); a
    // run claimed before hosts were recorded has none.
    const [pidText, host] = started.trim().split(/\s+/);
    const pid = Number.parseInt(pidText ?? '', 10);
    const launch = await readIfExists(path.join(dir, RUN_FILES.launch));
    const stamp =
      launch === undefined ? undefined : (JSON.parse(launch) as { stamp?: string }).stamp;
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
