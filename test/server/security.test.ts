// Authentication, host checks and the static-file hook: a token is required on every request
// when configured (401 without it or with a wrong one), requests for foreign host names are
// refused without a token (DNS rebinding), and static files never leave their directory.
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraphResponse } from '../../src/server/schemas/asset-schemas.js';
import type { StrataApp } from '../../src/server/index.js';
import { createApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts } from '../support/engine.js';
import { bodyOf, expectError, getJson, postJson, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
const TOKEN = 'correct-horse-battery-staple';
const apps: StrataApp[] = [];
let secured: StrataApp;
let open: StrataApp;
let ui: StrataApp;
let uiRoot: string;
let outside: string;

beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), 'strata-static-'));
  uiRoot = join(base, 'dist');
  outside = join(base, 'secret.txt');
  await mkdir(join(uiRoot, 'assets'), { recursive: true });
  await writeFile(join(uiRoot, 'index.html'), '<!doctype html><title>strata</title>');
  await writeFile(join(uiRoot, 'assets', 'app.js'), 'console.log(1);');
  await writeFile(outside, 'do not serve');
  await symlink(outside, join(uiRoot, 'link.txt'));
  secured = testApp(database, testGraph(), artifacts, { token: TOKEN });
  open = testApp(database, testGraph(), artifacts);
  ui = testApp(database, testGraph(), artifacts, { staticRoot: uiRoot });
  apps.push(secured, open, ui);
});
afterAll(async () => {
  for (const app of apps) await app.close();
});

describe('bearer token', () => {
  it('answers 401 without a token or with a wrong one', async () => {
    const missing = await getJson(secured, '/api/assets');
    expect(expectError(missing, 401).message).toMatch(/authentication required/);
    expect(missing.response.headers.get('WWW-Authenticate')).toBe('Bearer realm="strata"');
    expectError(
      await getJson(secured, '/api/assets', { Authorization: 'Bearer wrong-token-here' }),
      401,
    );
    expectError(await getJson(secured, '/api/assets', { Authorization: `Basic ${TOKEN}` }), 401);
    expectError(await getJson(secured, '/api/openapi.json'), 401);
    expectError(await postJson(secured, '/api/runs', {}), 401);
  });

  it('serves requests that carry it, from any host name', async () => {
    const ok = await getJson(secured, 'http://strata.example.com/api/assets', {
      Authorization: `Bearer ${TOKEN}`,
    });
    bodyOf(ok, AssetGraphResponse);
  });

  it('refuses a token too short to protect anything', () => {
    expect(() =>
      createApp({
        db: database.db,
        queuePool: database.pool,
        graph: testGraph(),
        artifacts,
        token: 'short',
      }),
    ).toThrow(/at least 16 characters/);
  });
});

describe('host check without a token', () => {
  it('serves loopback names and refuses others', async () => {
    expect((await getJson(open, 'http://127.0.0.1:4000/api/runs')).status).toBe(200);
    expect((await getJson(open, 'http://localhost:4000/api/runs')).status).toBe(200);
    expect((await getJson(open, 'http://[::1]:4000/api/runs')).status).toBe(200);
    const rebinding = expectError(
      await getJson(open, 'http://attacker.example:4000/api/runs'),
      403,
    );
    expect(rebinding.message).toMatch(/attacker.example/);
  });
});

describe('unknown routes', () => {
  it('answers JSON 404s', async () => {
    const error = expectError(await getJson(open, '/api/nothing'), 404);
    expect(error.hint).toBe('GET /api/openapi.json lists the routes');
    expectError(await getJson(open, '/index.html'), 404);
  });
});

describe('staticRoot', () => {
  it('serves files, index.html for / and for client-side routes', async () => {
    const index = await ui.request('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>strata</title>');
    const script = await ui.request('/assets/app.js');
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1);');
    const route = await ui.request('/assets/summary');
    expect(await route.text()).toContain('<title>strata</title>');
    expect((await ui.request('/missing.js')).status).toBe(404);
    expect((await ui.request('/api/assets')).status).toBe(200);
  });

  it('never serves a file outside the directory', async () => {
    for (const path of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00secret.txt',
      '/link.txt',
      '/%E0%A4%A',
    ]) {
      const response = await ui.request(path);
      const text = await response.text();
      expect(text, path).not.toContain('do not serve');
      expect([200, 404], path).toContain(response.status);
      if (response.status === 200) expect(text, path).toContain('<title>strata</title>');
    }
  });
});
