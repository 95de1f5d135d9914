// Starts a tool server of the example's kit over Streamable HTTP (`--http`) as a real process,
// as an operator would: waits for its `listening on URL` line, keeps its stderr lines (the kit's
// one line per call) and lets a test await the line it expects instead of sleeping.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** How long a server may take to start (tsx compiles it first). */
const START_TIMEOUT_MS = 30_000;

/** A running kit server over HTTP. */
export interface HttpToolServerProcess {
  /** http://127.0.0.1:PORT/mcp */
  readonly url: string;
  readonly child: ChildProcess;
  /** Every stderr line so far. */
  readonly lines: readonly string[];
  /** Resolves once `enough(lines)` holds (looked at on every new stderr line). */
  until(what: string, enough: (lines: readonly string[]) => boolean): Promise<void>;
  /** Stops the server (SIGTERM) and waits for its exit. */
  stop(): Promise<void>;
}

/** Starts `script` (a kit server) with `args` after `--http`, in exactly the environment `env`. */
export async function startHttpToolServer(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<HttpToolServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--http', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stderr! }).on('line', (line) => {
    lines.push(line);
    for (const wake of waiters) wake();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not listen in ${START_TIMEOUT_MS} ms: ${lines.join('\n')}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before listening: ${lines.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^listening on (http:\/\/\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  return {
    url,
    child,
    lines,
    until(what, enough) {
      return new Promise<void>((resolve, reject) => {
        const look = (): void => {
          if (enough(lines)) {
            waiters.delete(look);
            resolve();
          } else if (child.exitCode !== null) {
            waiters.delete(look);
            reject(new Error(`${script} exited while waiting for ${what}: ${lines.join('\n')}`));
          }
        };
        waiters.add(look);
        child.once('exit', look);
        look();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
