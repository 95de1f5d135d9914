// The kit's HTTP mode (assets/tools/http-serving.ts, kit-options.ts) with real server processes:
// with a token, a request without it or with another is refused (401) and an MCP client sending
// it is served; without a token it serves only on loopback and only requests naming a loopback
// host (no DNS rebinding); it refuses to start beyond loopback without a token, or with a token
// variable that is not set; SIGTERM ends it cleanly.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startHttpToolServer,
  type HttpToolServerProcess,
} from '../support/http-tool-server-process.js';

const SERVER = fileURLToPath(new URL('../fixtures/tools/kit-counter-server.ts', import.meta.url));
const KEY_META = 'strata/idempotencyKey';
const TOKEN = 'kit-http-token-77c2';

const started: HttpToolServerProcess[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

/** A kit-counter server over HTTP with `args`, its store and work log in a fresh directory. */
async function start(args: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'strata-kit-http-'));
  const workLog = path.join(dir, 'work.log');
  writeFileSync(workLog, '');
  const server = await startHttpToolServer(SERVER, args, {
    STRATA_ARTIFACT_STORE: path.join(dir, 'artifacts'),
    WORK_LOG: workLog,
    ...env,
  });
  started.push(server);
  return server;
}

/** An MCP client of `url` sending `headers`. */
async function connect(url: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: 'kit-http-test', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  clients.push(client);
  return client;
}

/** The status of a bare POST to `url` with `headers` (a Host header included, unlike fetch). */
function statusOf(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('the tool-server kit over HTTP', () => {
  it('serves a caller with the token and refuses others', async () => {
    const server = await start([], { STRATA_TOOL_TOKEN: TOKEN });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(await statusOf(server.url, {})).toBe(401);
    expect(await statusOf(server.url, { authorization: 'Bearer not-the-token' })).toBe(401);
    const client = await connect(server.url, { Authorization: `Bearer ${TOKEN}` });
    const result = await client.callTool({
      name: 'double',
      arguments: { x: 21 },
      _meta: { [KEY_META]: 'ab'.repeat(16) },
    });
    expect(result.structuredContent).toEqual({ y: 42 });
    await server.until('the call`s log line', (lines) => lines.length > 0);
    expect(server.lines).toEqual([
      expect.stringMatching(/^kit-counter: double (ab){16} worked \d+ ms$/),
    ]);
    expect(server.lines.join('\n')).not.toContain(TOKEN);
  });

  it('serves without a token only on loopback, to requests naming a loopback host', async () => {
    const server = await start([]);
    const port = new URL(server.url).port;
    expect(await statusOf(server.url, { host: `evil.example:${port}` })).toBe(403);
    expect(await statusOf(`http://127.0.0.1:${port}/other`, {})).toBe(404);
    const client = await connect(server.url);
    expect(
      (await client.callTool({ name: 'double', arguments: { x: 2 } })).structuredContent,
    ).toEqual({ y: 4 });
  });

  it('refuses to serve beyond loopback without a token', async () => {
    await expect(start(['--host', '0.0.0.0'])).rejects.toThrow(
      /exited \(2\) before listening: kit-counter: tool server option --host 0\.0\.0\.0: serving beyond this machine needs a bearer token: set \$STRATA_TOOL_TOKEN/,
    );
  });

  it('refuses a token variable that is not set', async () => {
    await expect(start(['--token-env', 'KIT_TOKEN'])).rejects.toThrow(
      /kit-counter: tool server option --token-env KIT_TOKEN: \$KIT_TOKEN is not set/,
    );
  });

  it('ends cleanly on SIGTERM', async () => {
    const server = await start(['--token-env', 'KIT_TOKEN'], { KIT_TOKEN: TOKEN });
    const exit = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
