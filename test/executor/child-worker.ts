// The worker process of the crash tests (test/fixtures/crash-worker.ts), started with the test
// database and an artifact directory, plus `env`; resolves with its worker id once it is ready.
// And the clean-up of what a crash test starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { WorkerPool } from '../../src/executor/index.js';
import { deferred } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A started crash worker: its process, its worker id once ready, and how it exited. */
export interface ChildWorker {
  readonly process: ChildProcess;
  readonly ready: Promise<string>;
  readonly exited: Promise<NodeJS.Signals | null>;
}

/** Starts the crash worker on `databaseUrl` with its artifacts in `artifactsDir`. */
export function startChildWorker(
  databaseUrl: string,
  artifactsDir: string,
  env: Readonly<Record<string, string>>,
): ChildWorker {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/fixtures/crash-worker.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        STRATA_ARTIFACTS_DIR: artifactsDir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const ready = deferred<string>();
  const exited = deferred<NodeJS.Signals | null>();
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const match = /^ready (\S+)$/m.exec(stdout);
    if (match) ready.resolve(match[1]!);
  });
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  proc.on('exit', (_code, signal) => exited.resolve(signal));
  const failedEarly = new Promise<never>((_, reject) =>
    proc.on('exit', (code, signal) =>
      reject(new Error(`crash worker exited early (${code ?? signal}):\n${stderr}`)),
    ),
  );
  return {
    process: proc,
    ready: Promise.race([ready.promise, failedEarly]),
    exited: exited.promise,
  };
}

/**
 * What a crash test starts and must not leave behind: the worker process it kills and the
 * surviving in-process pool. Whatever is still set after each test is killed or stopped.
 */
export function useCrashScene(): { child?: ChildProcess; survivor?: WorkerPool } {
  const scene: { child?: ChildProcess; survivor?: WorkerPool } = {};
  afterEach(async () => {
    const { child, survivor } = scene;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await survivor?.stop();
    delete scene.child;
    delete scene.survivor;
  });
  return scene;
}
