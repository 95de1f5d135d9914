// Tool servers die with their worker. Each server is started through a tiny watchdog process
// (`node -e`, no file to find, about 40 MB): the watchdog runs the server in its own process
// group with the worker's stdin and stdout (inherited: messages do not pass through it), checks
// every 250 ms that its parent is still the worker, and when the worker is gone (even SIGKILLed)
// sends SIGTERM to the server's whole group, then SIGKILL after 1.5 s. On the worker's graceful
// close (stdin closed, then SIGTERM after 2 s: the MCP SDK's StdioClientTransport.close) it does
// the same, so close still ends the server and its children. It ignores SIGINT and SIGHUP: a
// Ctrl-C in the terminal reaches the worker, which decides when its servers stop.
// Not on Windows (no process groups there): servers are started directly.

/** How often the watchdog checks its parent, and how long SIGTERM has before SIGKILL. */
const POLL_MS = 250;
const GRACE_MS = 1_500;

/** The watchdog, as CommonJS for `node -e`; argv: parent pid, then the server's command line. */
const WATCHDOG_SOURCE = `'use strict';
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const [parentArg, command, ...args] = process.argv.slice(1);
const parent = Number(parentArg);
const child = spawn(command, args, { stdio: 'inherit', detached: true });
const signalGroup = (signal) => {
  try { process.kill(-child.pid, signal); } catch {}
};
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), ${GRACE_MS}).unref();
};
const watch = setInterval(() => { if (process.ppid !== parent) stop(); }, ${POLL_MS});
child.on('error', (error) => {
  process.stderr.write('strata: cannot start tool server ' + command + ': ' + error.message + '\\n');
  process.exit(127);
});
child.on('exit', (code, signal) => {
  clearInterval(watch);
  signalGroup('SIGKILL');
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
process.on('SIGTERM', stop);
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
if (process.ppid !== parent) stop();
`;

/** A command line to spawn. */
export interface CommandLine {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The command line that runs `server` under a watchdog tying its lifetime to this process
 * (`server` itself on Windows, which has no process groups).
 */
export function watchedCommand(server: CommandLine): CommandLine {
  if (process.platform === 'win32') return server;
  return {
    command: process.execPath,
    args: [
      '--input-type=commonjs',
      '-e',
      WATCHDOG_SOURCE,
      '--',
      String(process.pid),
      server.command,
      ...server.args,
    ],
  };
}
