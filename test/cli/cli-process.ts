// A real `strata` process for the tests that signal, stop or outlive one: started from the built
// CLI (bin/strata.js) against the test database, with its output collected and its exit awaited.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, type CliResult } from './cli-harness.js';

const BIN = path.join(REPO_ROOT, 'bin/strata.js');

/** A started CLI process. */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves when the process has exited and its output is closed. */
  readonly done: Promise<CliResult>;
  /** Resolves with the first match of `pattern` on stdout (rejects if the process exits first). */
  stdoutMatch(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the first match of `pattern` on stderr (rejects if the process exits first). */
  stderrMatch(pattern: RegExp): Promise<RegExpExecArray>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
}

/**
 * Starts `strata ARGV --definitions DEFINITIONS` on `databaseUrl`; with `prefix`, through that
 * command (e.g. `prlimit --fsize=…`, which execs it: the pid stays strata's).
 */
export function startCli(
  argv: readonly string[],
  options: {
    databaseUrl: string;
    definitions: string;
    env?: Record<string, string>;
    prefix?: readonly string[];
    /** The working directory (default: the repository). */
    cwd?: string;
  },
): CliProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    NO_COLOR: '1',
    ...options.env,
  };
  delete env.STRATA_DEFINITIONS;
  const command = [
    ...(options.prefix ?? []),
    process.execPath,
    BIN,
    ...argv,
    '--definitions',
    options.definitions,
  ];
  const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd ?? REPO_ROOT, env });
  const output = { stdout: '', stderr: '' };
  const watchers: {
    stream: 'stdout' | 'stderr';
    pattern: RegExp;
    resolve: (match: RegExpExecArray) => void;
  }[] = [];
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    output[stream] += chunk.toString();
    for (const watcher of watchers.filter((w) => w.stream === stream)) {
      const match = watcher.pattern.exec(output[stream]);
      if (match) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve(match);
      }
    }
  };
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? -1 : 0), stdout: output.stdout, stderr: output.stderr }),
    ),
  );
  const match = (stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpExecArray> => {
    const already = pattern.exec(output[stream]);
    if (already) return Promise.resolve(already);
    return new Promise<RegExpExecArray>((resolve, reject) => {
      watchers.push({ stream, pattern, resolve });
      void done.then((result) =>
        reject(
          new Error(
            `strata ${argv.join(' ')} exited (${result.code}) before printing ${pattern} on ${stream}:\n${result.stderr}`,
          ),
        ),
      );
    });
  };
  return {
    child,
    done,
    stderr: () => output.stderr,
    stdoutMatch: (pattern) => match('stdout', pattern),
    stderrMatch: (pattern) => match('stderr', pattern),
  };
}
