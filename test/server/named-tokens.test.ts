// `strata serve` with named tokens: every caller needs one (the server's STRATA_TOKEN keeps
// working as the administrator), a token's role limits what it may do (a viewer reads but
// launches nothing: 403 naming the roles that may), a revoked token stops working, for bearer
// callers and for the browser sessions it started, within the few seconds its lookup is reused.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../src/access/index.js';
import type { StrataApp } from '../../src/server/index.js';
import { AssetGraphResponse } from '../../src/server/schemas/asset-schemas.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts } from '../support/engine.js';
import { bodyOf, expectError, getJson, postJson, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
const ADMIN_TOKEN = 'correct-horse-battery-staple';
let clock = Date.parse('2026-12-01T12:00:00Z');
let app: StrataApp;
let withAdmin: StrataApp;
const token: Record<string, string> = {};

beforeAll(async () => {
  for (const role of ['viewer', 'operator', 'planner'] as const) {
    token[role] = (
      await createApiToken(database.db, { name: `${role}-1`, role, createdBy: 'test@host' })
    ).token;
  }
  const artifacts = tempArtifacts();
  app = testApp(database, testGraph(), artifacts, {
    requireTokens: true,
    now: () => new Date(clock),
  });
  withAdmin = testApp(database, testGraph(), artifacts, {
    token: ADMIN_TOKEN,
    now: () => new Date(clock),
  });
});
afterAll(async () => {
  await app.close();
  await withAdmin.close();
});

const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

describe('a server with named tokens', () => {
  it('requires a token from every caller, even on loopback', async () => {
    expectError(await getJson(app, 'http://127.0.0.1/api/assets'), 401);
    expectError(await getJson(app, '/api/assets', bearer('strata_not-a-real-token')), 401);
  });

  it.each([
    { role: 'viewer', reads: true, runs: false },
    { role: 'planner', reads: true, runs: false },
    { role: 'operator', reads: true, runs: true },
  ])('lets a $role read ($reads) and launch runs ($runs)', async ({ role, reads, runs }) => {
    const headers = bearer(token[role]!);
    if (reads) bodyOf(await getJson(app, '/api/assets', headers), AssetGraphResponse);
    const launch = await postJson(app, '/api/runs', { selection: 'no-such-asset' }, headers);
    if (runs) {
      // Past the role check: the selection itself is what is wrong.
      expect(launch.status).toBe(400);
    } else {
      const error = expectError(launch, 403);
      expect(error.message).toBe(
        `token "${role}-1" (role ${role}) may not launch, cancel or resume runs`,
      );
      expect(error.hint).toBe('that needs the role operator, approver, admin');
    }
  });

  it('documents in OpenAPI which roles may call each operation', async () => {
    const document = (await getJson(app, '/api/openapi.json', bearer(token.viewer!))).body as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(document.paths['/api/runs']!.post!['x-strata-roles']).toEqual([
      'operator',
      'approver',
      'admin',
    ]);
    expect(document.paths['/api/assets']!.get!['x-strata-capability']).toBe('read');
  });

  it('records the token that launched a run as who launched it', async () => {
    const launched = await postJson(
      app,
      '/api/runs',
      { selection: 'geometry' },
      bearer(token.operator!),
    );
    expect(launched.status).toBe(202);
    const { runId } = launched.body as { runId: number };
    const run = await getJson(app, `/api/runs/${runId}`, bearer(token.viewer!));
    expect((run.body as { launchedBy: string }).launchedBy).toBe('operator-1');
    // And data teams see it in the documented view.
    const { rows } = await sql<{
      launched_by: string;
    }>`select launched_by from strata.runs where run_id = ${runId}`.execute(database.db);
    const row = rows[0];
    expect(row).toEqual({ launched_by: 'operator-1' });
  });

  it('takes STRATA_TOKEN as the administrator beside named tokens', async () => {
    bodyOf(await getJson(withAdmin, '/api/assets', bearer(ADMIN_TOKEN)), AssetGraphResponse);
    bodyOf(await getJson(withAdmin, '/api/assets', bearer(token.viewer!)), AssetGraphResponse);
    expectError(
      await postJson(withAdmin, '/api/runs', { selection: 'x' }, bearer(token.viewer!)),
      403,
    );
  });

  it('stops taking a revoked token, and ends the sessions it started', async () => {
    const { token: secret } = await createApiToken(database.db, {
      name: 'leaving',
      role: 'viewer',
      createdBy: 'test@host',
    });
    const opened = await app.request(`/?token=${secret}`);
    expect(opened.status).toBe(303);
    const session = { Cookie: opened.headers.get('Set-Cookie')!.split(';')[0]! };
    expect((await getJson(app, '/api/assets', session)).status).toBe(200);
    expect((await getJson(app, '/api/assets', bearer(secret))).status).toBe(200);
    await revokeApiToken(database.db, 'leaving', 'test@host');
    clock += 6_000; // past the few seconds a lookup is reused
    expect(expectError(await getJson(app, '/api/assets', bearer(secret)), 401).message).toBe(
      'invalid or revoked token',
    );
    expect(expectError(await getJson(app, '/api/assets', session), 401).message).toBe(
      'the token of this session was revoked',
    );
  });

  it('ends a session idle for longer than 12 hours', async () => {
    const opened = await app.request(`/?token=${token.viewer!}`);
    const session = { Cookie: opened.headers.get('Set-Cookie')!.split(';')[0]! };
    expect((await getJson(app, '/api/assets', session)).status).toBe(200);
    clock += 12 * 60 * 60 * 1000 + 1;
    expect(expectError(await getJson(app, '/api/assets', session), 401).message).toMatch(
      /the session has ended/,
    );
  });
  // Last: it revokes every token first.
  it('closes a server started without tokens once the first one is created', async () => {
    await database.db
      .updateTable('strata_internal.api_tokens')
      .set({ revoked_at: new Date(), revoked_by: 'test' })
      .where('revoked_at', 'is', null)
      .execute();
    const started = testApp(database, testGraph(), tempArtifacts(), { now: () => new Date(clock) });
    try {
      expect((await getJson(started, 'http://127.0.0.1/api/assets')).status).toBe(200);
      const { token: secret } = await createApiToken(database.db, {
        name: 'first-one',
        role: 'viewer',
        createdBy: 'test@host',
      });
      clock += 6_000; // past the few seconds the answer "no tokens" is reused
      expectError(await getJson(started, 'http://127.0.0.1/api/assets'), 401);
      expect((await getJson(started, '/api/assets', bearer(secret))).status).toBe(200);
    } finally {
      await started.close();
    }
  });
});
