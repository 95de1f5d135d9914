// The example's tool-server kit (assets/tools/tool-server-kit.ts) with real server processes:
// one key's work is done once by two processes sharing a store (lock file) and by one process
// asked twice at once (in-flight map); a stale lock (dead pid, or a pid now another process's)
// is taken over; the server exits cleanly when its stdin closes, after storing the work in flight,
// and a closed stdout (EPIPE) ends it quietly instead of crashing it (its stderr holds only the
// log line of the call).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  LATEST_PROTOCOL_VERSION,
  LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred, waitFor } from '../executor/helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = fileURLToPath(new URL('../fixtures/tools/kit-counter-server.ts', import.meta.url));
const KEY_META = 'strata/idempotencyKey';

/** A store shared by the servers of one test, their work log and their gate. */
function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'strata-kit-'));
  const files = {
    store: path.join(dir, 'artifacts'),
    workLog: path.join(dir, 'work.log'),
    gate: path.join(dir, 'gate'),
  };
  writeFileSync(files.workLog, '');
  return {
    ...files,
    env: { STRATA_ARTIFACT_STORE: files.store, WORK_LOG: files.workLog, GATE: files.gate },
    work: (): string[] => readFileSync(files.workLog, 'utf8').split('\n').filter(Boolean),
    open: () => writeFileSync(files.gate, ''),
    answerFile: (key: string) =>
      path.join(files.store, 'tool-results', 'kit-counter', `${key}.json`),
    lockFile: (key: string) => path.join(files.store, 'tool-results', 'kit-counter', `${key}.lock`),
  };
}

const clients: Client[] = [];
const processes: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const proc of processes.splice(0)) if (proc.exitCode === null) proc.kill('SIGKILL');
});

/** A kit server process with an MCP client; `said` collects its log notifications. */
async function connect(env: Record<string, string>) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', SERVER],
    env: { ...env, PATH: process.env.PATH ?? '' },
    cwd: root,
    stderr: 'inherit',
  });
  const client = new Client({ name: 'kit-test', version: '1' });
  const said: string[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    said.push(String(notification.params.data));
  });
  await client.connect(transport);
  clients.push(client);
  const double = async (x: number, key: string) =>
    (await client.callTool({ name: 'double', arguments: { x }, _meta: { [KEY_META]: key } }))
      .structuredContent;
  return { double, said, pid: transport.pid! };
}

/** A kit server process spoken to by hand (newline-delimited JSON-RPC), to close its pipes. */
function rawServer(env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: root,
    env: { ...env, PATH: process.env.PATH ?? '' },
  });
  processes.push(proc);
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = deferred<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>();
  proc.on('exit', (code, signal) => exit.resolve({ code, signal, stderr }));
  const initialized = deferred();
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const lines = out.split('\n').slice(0, -1);
    if (lines.some((line) => (JSON.parse(line) as { id?: unknown }).id === 1))
      initialized.resolve();
  });
  const send = (message: object) => proc.stdin.write(`${JSON.stringify(message)}\n`);
  send({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'kit-test', version: '1' },
    },
  });
  return {
    proc,
    exit: exit.promise,
    async ready() {
      await initialized.promise;
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    },
    callDouble(x: number, key: string) {
      send({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'double', arguments: { x }, _meta: { [KEY_META]: key } },
      });
    },
  };
}

const KEY = 'ab'.repeat(16);
/** All a server says on stderr for one call of KEY: its log line, nothing else. */
const workedLine = expect.stringMatching(
  new RegExp(`^kit-counter: double ${KEY} worked \\d+ ms\\n$`),
);

describe('the tool-server kit', () => {
  it('does one key`s work once when two server processes share the store', async () => {
    const ws = workspace();
    const [one, two] = await Promise.all([connect(ws.env), connect(ws.env)]);
    const first = one.double(21, KEY);
    await waitFor('the first server to work', async () => (ws.work().length ? true : undefined));
    const second = two.double(21, KEY);
    await waitFor('the second server to wait for the first, or to work', async () =>
      two.said.length > 0 || ws.work().length > 1 ? true : undefined,
    );
    expect(two.said).toEqual([
      `double: key ${KEY} is being answered by process ${ws.work()[0]}; waiting for it`,
    ]);
    ws.open();
    expect(await first).toEqual({ y: 42 });
    expect(await second).toEqual({ y: 42 });
    expect(ws.work()).toEqual([String(one.pid)]);
    expect(existsSync(ws.lockFile(KEY))).toBe(false);
  });

  it('does one key`s work once when one process is asked twice at once', async () => {
    const ws = workspace();
    const server = await connect(ws.env);
    const first = server.double(4, KEY);
    await waitFor('the server to work', async () => (ws.work().length ? true : undefined));
    const second = server.double(4, KEY);
    await waitFor('the second call to wait for the first, or to work', async () =>
      server.said.length > 0 || ws.work().length > 1 ? true : undefined,
    );
    expect(server.said[0]).toMatch(/is being answered in this process/);
    ws.open();
    expect(await Promise.all([first, second])).toEqual([{ y: 8 }, { y: 8 }]);
    expect(ws.work()).toHaveLength(1);
  });

  it('takes over the lock of a dead process, and of a pid that now belongs to another', async () => {
    const ws = workspace();
    ws.open();
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) =>
      dead.on('exit', () => resolve(dead.pid!)),
    );
    const [deadKey, reusedKey] = ['cd'.repeat(16), 'ef'.repeat(16)];
    mkdirSync(path.dirname(ws.lockFile(deadKey)), { recursive: true });
    writeFileSync(ws.lockFile(deadKey), `${deadPid} - 0123\n`);
    // This test's own pid is alive, but it was not started at the recorded time.
    writeFileSync(ws.lockFile(reusedKey), `${process.pid} some-boot:1 4567\n`);
    const server = await connect(ws.env);
    expect(await server.double(1, deadKey)).toEqual({ y: 2 });
    expect(await server.double(2, reusedKey)).toEqual({ y: 4 });
    expect(ws.work()).toHaveLength(2);
    expect(existsSync(ws.lockFile(deadKey)) || existsSync(ws.lockFile(reusedKey))).toBe(false);
  });

  it('exits cleanly when its stdin closes', async () => {
    const ws = workspace();
    const server = rawServer(ws.env);
    await server.ready();
    server.proc.stdin.end();
    expect(await server.exit).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('stores the work in flight before it exits for a closed stdin', async () => {
    const ws = workspace();
    const server = rawServer(ws.env);
    await server.ready();
    server.callDouble(5, KEY);
    await waitFor('the server to work', async () => (ws.work().length ? true : undefined));
    server.proc.stdin.end();
    ws.open();
    expect(await server.exit).toEqual({ code: 0, signal: null, stderr: workedLine });
    expect(JSON.parse(readFileSync(ws.answerFile(KEY), 'utf8'))).toEqual({ y: 10 });
  });

  it('ends quietly, not with an uncaught EPIPE, when nobody reads its answers', async () => {
    const ws = workspace();
    const server = rawServer(ws.env);
    await server.ready();
    server.callDouble(6, KEY);
    await waitFor('the server to work', async () => (ws.work().length ? true : undefined));
    server.proc.stdout.destroy(); // stdin stays open: only the broken stdout can end it
    ws.open();
    expect(await server.exit).toEqual({ code: 0, signal: null, stderr: workedLine });
    expect(JSON.parse(readFileSync(ws.answerFile(KEY), 'utf8'))).toEqual({ y: 12 });
  });
});
