// The real server: startServer on an ephemeral port answers fetch(), drops event-stream
// subscribers when clients disconnect, and refuses a non-loopback address without a token
// (as does `strata serve`); `strata serve` serves the built UI unless --no-ui and prints the
// URL to open.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraphResponse } from '../../src/server/schemas/asset-schemas.js';
import {
  BUILT_UI_DIR,
  builtUiRoot,
  isLoopbackHost,
  startServer,
  type RunningServer,
} from '../../src/server/index.js';
import { main } from '../../src/cli/main.js';
import { FIXTURE_ASSETS, REPO_ROOT, runCli } from '../cli/cli-harness.js';
import { deferred, waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { testEngine } from '../support/engine.js';
import { SseReader, testGraph } from './server-harness.js';

const database = useTestDatabase();
let server: RunningServer;

beforeAll(async () => {
  server = await startServer(testEngine(database, testGraph()), {
    launch: { concurrency: 1 },
    port: 0,
  });
});
afterAll(() => server.close());

describe('startServer', () => {
  it('serves the API on an ephemeral port of 127.0.0.1', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    const response = await fetch(`${server.url}/api/assets`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    const graph = AssetGraphResponse.parse(await response.json());
    expect(graph.nodes.map((n) => n.key)).toContain('sim/mesh');
  });

  it('unsubscribes an event-stream client when it disconnects', async () => {
    const abort = new AbortController();
    const response = await fetch(`${server.url}/api/events`, { signal: abort.signal });
    const reader = new SseReader(response);
    expect((await reader.next()).event).toBe('ready');
    expect(server.app.liveClients).toBe(1);
    abort.abort();
    await waitFor('the subscriber to leave', async () =>
      server.app.liveClients === 0 ? true : undefined,
    );
  });

  it('refuses to bind a non-loopback address without a token', async () => {
    await expect(
      startServer(testEngine(database, testGraph()), { host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/refusing to serve on 0\.0\.0\.0 without a token/);
  });

  it('binds any address with a token, and then requires it', async () => {
    const token = 'a-token-of-sufficient-length';
    const exposed = await startServer(testEngine(database, testGraph()), {
      host: '0.0.0.0',
      port: 0,
      token,
    });
    try {
      const url = `http://127.0.0.1:${exposed.port}/api/runs`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(
        200,
      );
    } finally {
      await exposed.close();
    }
  });

  it('tells loopback addresses apart', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com'])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});

/**
 * Runs `strata serve --port 0 ARGS` in-process until it has printed its first line, then stops it
 * as SIGTERM would, by calling the listener it added (so no other listener of the test process
 * hears a signal).
 */
async function serveOnce(args: readonly string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const printed = deferred();
  const before = new Set(process.listeners('SIGTERM'));
  const done = main(['serve', '--port', '0', '--definitions', FIXTURE_ASSETS, ...args], {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
        printed.resolve();
      },
    },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { NO_COLOR: '1', DATABASE_URL: database.url, ...env },
    cwd: REPO_ROOT,
  });
  await Promise.race([printed.promise, done]);
  const added = process.listeners('SIGTERM').filter((listener) => !before.has(listener));
  expect(added, stdout + stderr).toHaveLength(1);
  (added[0] as (signal: string) => void)('SIGTERM');
  const code = await done;
  expect(code, stderr).toBe(0);
  return { stdout, stderr };
}

describe('strata serve', () => {
  it('refuses --host 0.0.0.0 without STRATA_TOKEN', async () => {
    const result = await runCli(['serve', '--host', '0.0.0.0', '--definitions', FIXTURE_ASSETS], {
      databaseUrl: database.url,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --host 0.0.0.0 exposes the API beyond this machine');
    expect(result.stderr).toContain('STRATA_TOKEN');
  });

  it('serves the built UI, printing the URL to open with the token in token mode', async () => {
    const token = 'a-token-of-sufficient-length';
    const { stdout, stderr } = await serveOnce([], { STRATA_TOKEN: token });
    if (builtUiRoot() === undefined) {
      expect(stderr).toContain('the lineage UI is not built');
      expect(stderr).toContain('npm run build');
      expect(stdout).toMatch(/^strata serve: API at http:\/\/127\.0\.0\.1:\d+\/api /);
    } else {
      expect(stderr).not.toContain('not built');
      const line = new RegExp(
        `^strata serve: UI at http://127\\.0\\.0\\.1:\\d+/\\?token=${token} `,
      );
      expect(stdout).toMatch(line);
    }
  });

  it('serves the API only with --no-ui, and prints one JSON line with --json', async () => {
    const { stdout, stderr } = await serveOnce(['--no-ui', '--json']);
    expect(stderr).not.toContain('not built');
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const ready = JSON.parse(stdout) as Record<string, unknown>;
    expect(ready).toMatchObject({ ui: false, host: '127.0.0.1' });
    expect(ready.openUrl).toBe(`${String(ready.url)}/`);
    const text = await serveOnce(['--no-ui']);
    expect(text.stdout).toMatch(
      /^strata serve: API at http:\/\/127\.0\.0\.1:\d+\/api {2}\(3 assets; OpenAPI at /,
    );
  });

  it('finds the built UI by its index.html', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-ui-'));
    expect(builtUiRoot(dir)).toBeUndefined();
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    expect(builtUiRoot(dir)).toBe(dir);
    expect(BUILT_UI_DIR.replaceAll('\\', '/')).toMatch(/\/dist\/lineage\/$/);
  });

  it('refuses a malformed port', async () => {
    const result = await runCli(['serve', '--port', 'http', '--definitions', FIXTURE_ASSETS]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be an integer from 0 to 65535');
  });
});
