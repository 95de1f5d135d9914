// Reloading changed definitions by process, as a long-running command needs: definitions are
// modules, and a module graph cannot be imported twice in one process, so the command runs in a
// worker process (node:cluster, which shares the listening port between workers) and this
// supervisor watches the definitions' files. On a change it starts a new worker with the new
// definitions; once that one is ready (serving), the old one stops gracefully (running steps
// finish). If the new definitions do not load, the old worker keeps serving and the supervisor
// says so. Ctrl-C and SIGTERM stop every worker; the supervisor exits with the active worker's
// status.
import cluster, { type Worker } from 'node:cluster';
import type { CommandContext } from './command.js';
import { watchDefinitions } from './definitions-watch.js';

/** Environment variable telling a worker which files changed before it was started. */
export const RELOADED_FILES_ENV = 'STRATA_RELOADED_FILES';

/** What a worker tells its supervisor. */
export interface WorkerReady {
  readonly type: 'ready';
}

/** What a supervisor tells its workers. */
export interface WorkerStop {
  readonly type: 'stop';
  readonly signal: string;
}

/** The files whose change started this worker (empty for the first one). */
export function reloadedFiles(env: Readonly<Record<string, string | undefined>>): string[] {
  const value = env[RELOADED_FILES_ENV];
  return value === undefined || value === '' ? [] : value.split('\n');
}

/** Tells the supervisor this worker serves (no-op outside a supervisor). */
export function reportReady(): void {
  if (cluster.isWorker) process.send?.({ type: 'ready' } satisfies WorkerReady);
}

/**
 * Resolves with the reason to stop: SIGINT, SIGTERM, the supervisor's stop message, or the
 * supervisor gone.
 */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const done = (reason: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      resolve(reason);
    };
    const onInt = (): void => done('SIGINT');
    const onTerm = (): void => done('SIGTERM');
    const onMessage = (message: unknown): void => {
      if ((message as WorkerStop | undefined)?.type === 'stop')
        done((message as WorkerStop).signal);
    };
    const onDisconnect = (): void => done('supervisor gone');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (cluster.isWorker) {
      process.on('message', onMessage);
      process.once('disconnect', onDisconnect);
    }
  });
}

/** The option of a reloading command that turns reloading off. */
export const NO_RELOAD_OPTION = {
  'no-reload': {
    type: 'boolean',
    description: 'keep the definitions of the start (default: reload them when they change)',
  },
} as const;

/**
 * When `context` is the `strata` process of a long-running command with definitions, supervises
 * its workers and resolves with their exit status; otherwise (a worker, `--no-reload`, a test's
 * in-process run) resolves undefined: the command runs itself.
 */
export async function superviseIfReloading(
  context: CommandContext,
  command: string,
): Promise<number | undefined> {
  if (context.io.ownsProcess !== true || cluster.isWorker || context.flags.boolean('no-reload'))
    return undefined;
  const definitionsFile = await context.definitionsPath();
  if (definitionsFile === undefined) return undefined;
  return superviseWithReload({ definitionsFile, command, note: context.note });
}

/**
 * Runs the command in workers, reloading on changes of the definitions in `definitionsFile`;
 * resolves with the exit status of the last active worker.
 */
export async function superviseWithReload(options: {
  readonly definitionsFile: string;
  readonly command: string;
  note(line: string): void;
}): Promise<number> {
  const { command, note } = options;
  let active: Worker;
  let pending: Worker | undefined;
  let stopping = false;
  let watch: { close(): void } | undefined;

  return new Promise<number>((resolve) => {
    const stopAll = (signal: string): void => {
      stopping = true;
      watch?.close();
      for (const worker of Object.values(cluster.workers ?? {}))
        if (worker?.isConnected()) worker.send({ type: 'stop', signal } satisfies WorkerStop);
    };
    const onSignal = (signal: string) => (): void => stopAll(signal);
    const onInt = onSignal('SIGINT');
    const onTerm = onSignal('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);

    const start = (files: readonly string[]): Worker =>
      cluster.fork(files.length === 0 ? {} : { [RELOADED_FILES_ENV]: files.join('\n') });

    active = start([]);
    const watchActive = (worker: Worker): void => {
      worker.once('exit', (code, signal) => {
        if (worker !== active) return; // replaced by a reload
        // The serving worker ended (stopped, or failed): so does the supervisor.
        stopAll('SIGTERM');
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        resolve(code ?? (signal === null ? 1 : 128 + (signal === 'SIGKILL' ? 9 : 15)));
      });
    };
    watchActive(active);

    void watchDefinitions(options.definitionsFile, (files) => {
      if (stopping) return;
      pending?.kill('SIGTERM');
      const next = start(files);
      pending = next;
      next.on('message', (message: unknown) => {
        if ((message as WorkerReady | undefined)?.type !== 'ready' || next !== pending) return;
        const previous = active;
        active = next;
        pending = undefined;
        watchActive(next);
        if (previous.isConnected())
          previous.send({ type: 'stop', signal: 'reload' } satisfies WorkerStop);
      });
      next.once('exit', (code) => {
        if (next !== pending) return;
        pending = undefined;
        note(
          `strata ${command}: the changed definitions (${files.join(', ')}) did not load (exit ${code ?? '?'}); still running with the previous ones`,
        );
      });
    }).then((handle) => {
      if (stopping) handle.close();
      else watch = handle;
    });
  });
}
