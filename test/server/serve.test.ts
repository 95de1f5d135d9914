// The real server: startServer on an ephemeral port answers fetch(), drops event-stream
// subscribers when clients disconnect, and refuses a non-loopback address without a token
// (as does `strata serve`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraphResponse } from '../../src/server/schemas/asset-schemas.js';
import { isLoopbackHost, startServer, type RunningServer } from '../../src/server/index.js';
import { FIXTURE_ASSETS, runCli } from '../cli/cli-harness.js';
import { waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts } from '../support/engine.js';
import { SseReader, testGraph } from './server-harness.js';

const database = useTestDatabase();
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    db: database.db,
    queuePool: database.pool,
    graph: testGraph(),
    artifacts: tempArtifacts(),
    launch: { concurrency: 1, onQueueLog: () => undefined },
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
      startServer({
        db: database.db,
        queuePool: database.pool,
        graph: testGraph(),
        artifacts: tempArtifacts(),
        host: '0.0.0.0',
        port: 0,
      }),
    ).rejects.toThrow(/refusing to serve on 0\.0\.0\.0 without a token/);
  });

  it('binds any address with a token, and then requires it', async () => {
    const token = 'a-token-of-sufficient-length';
    const exposed = await startServer({
      db: database.db,
      queuePool: database.pool,
      graph: testGraph(),
      artifacts: tempArtifacts(),
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

describe('strata serve', () => {
  it('refuses --host 0.0.0.0 without STRATA_TOKEN', async () => {
    const result = await runCli(['serve', '--host', '0.0.0.0', '--definitions', FIXTURE_ASSETS], {
      databaseUrl: database.url,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --host 0.0.0.0 exposes the API beyond this machine');
    expect(result.stderr).toContain('STRATA_TOKEN');
  });

  it('refuses a malformed port', async () => {
    const result = await runCli(['serve', '--port', 'http', '--definitions', FIXTURE_ASSETS]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be an integer from 0 to 65535');
  });
});
