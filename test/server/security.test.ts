// Authentication, host checks and the static-file hook: a token is required on every request
// when configured (401 without it or with a wrong one), as a bearer header or as the session a
// page URL with ?token= starts (its cookie holds a session id, never the token); requests for foreign host names are refused without a token (DNS
// rebinding); static files carry the UI's Content-Security-Policy and never leave their
// directory.
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraphResponse } from '../../src/server/schemas/asset-schemas.js';
import type { StrataApp } from '../../src/server/index.js';
import { createApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts, testEngine } from '../support/engine.js';
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
      createApp(testEngine(database, testGraph(), { artifacts }), { token: 'short' }),
    ).toThrow(/at least 16 characters/);
  });
});

describe('browser sessions', () => {
  /** Opens a page with ?token= and returns the session cookie pair it set. */
  async function startSession(app: StrataApp = secured): Promise<{ Cookie: string }> {
    const opened = await app.request(`/?token=${TOKEN}`);
    expect(opened.status).toBe(303);
    return { Cookie: opened.headers.get('Set-Cookie')!.split(';')[0]! };
  }

  it('accepts the session cookie a page URL with ?token= started, live events included', async () => {
    const cookie = await startSession();
    bodyOf(await getJson(secured, '/api/assets', cookie), AssetGraphResponse);
    const events = await secured.request('/api/events', { headers: cookie });
    expect(events.status).toBe(200);
    await events.body?.cancel();
  });

  it('never puts the token in the cookie', async () => {
    const { Cookie } = await startSession();
    expect(Cookie).toMatch(/^strata_session=[A-Za-z0-9_-]{43}$/);
    expect(Cookie).not.toContain(TOKEN);
    // The token itself in a cookie is no session.
    const raw = expectError(
      await getJson(secured, '/api/assets', { Cookie: `strata_session=${TOKEN}` }),
      401,
    );
    expect(raw.message).toBe('the session has ended (expired, or the server restarted)');
  });

  it('answers 401 to an unknown session, and to one of another server process', async () => {
    const other = testApp(database, testGraph(), artifacts, { token: TOKEN });
    apps.push(other);
    const cookie = await startSession(other);
    expect((await getJson(other, '/api/assets', cookie)).status).toBe(200);
    expectError(await getJson(secured, '/api/assets', cookie), 401);
  });

  it('sets the cookie from ?token= on a page and redirects to the URL without it', async () => {
    const response = await secured.request(`/assets/sim%2Fmesh?tab=history&token=${TOKEN}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/assets/sim%2Fmesh?tab=history');
    const setCookie = response.headers.get('Set-Cookie')!;
    expect(setCookie).toMatch(/^strata_session=/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    const root = await secured.request(`/?token=${TOKEN}`);
    expect(root.headers.get('Location')).toBe('/');
    // The location always stays on this server.
    const sneaky = await secured.request(`http://localhost//evil.example/?token=${TOKEN}`);
    expect(sneaky.headers.get('Location')).toBe('/evil.example/');
  });

  it('lets a browser into the UI with the printed URL', async () => {
    const securedUi = testApp(database, testGraph(), artifacts, {
      token: TOKEN,
      staticRoot: uiRoot,
    });
    apps.push(securedUi);
    expectError(await getJson(securedUi, '/'), 401);
    const opened = await securedUi.request(`/?token=${TOKEN}`);
    expect(opened.status).toBe(303);
    const [pair] = opened.headers.get('Set-Cookie')!.split(';');
    const page = await securedUi.request(opened.headers.get('Location')!, {
      headers: { Cookie: pair! },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>strata</title>');
  });

  it('answers 401 to a wrong ?token=, without a cookie', async () => {
    const result = await getJson(secured, '/?token=not-the-right-token');
    expect(expectError(result, 401, 'token').message).toMatch(/invalid token in the URL/);
    expect(result.response.headers.get('Set-Cookie')).toBeNull();
  });

  it('does not take ?token= on API paths, and still refuses cross-origin writes', async () => {
    const cookie = await startSession();
    expectError(await getJson(secured, `/api/assets?token=${TOKEN}`), 401);
    const write = await postJson(
      secured,
      '/api/runs',
      { selection: 'geometry' },
      {
        ...cookie,
        Origin: 'https://attacker.example',
      },
    );
    expectError(write, 403);
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
    expect(index.headers.get('Content-Security-Policy')).toBe(
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
        "script-src 'self'; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'",
    );
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
