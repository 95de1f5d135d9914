// The backfill routes: creating one (201, its target counts), 400s naming the filter at fault,
// pause, resume, retry and cancel with their refusals, 404s, and the list; a backfill created
// through the server is driven by it to the end (no daemon, no CLI), and so is one an earlier
// process left running, once the server is started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackfill } from '../../src/backfills/index.js';
import { BackfillDetail, BackfillList } from '../../src/server/schemas/backfill-schemas.js';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts } from '../support/engine.js';
import {
  bodyOf,
  expectError,
  getJson,
  postJson,
  releaseSlow,
  testApp,
  testGraph,
} from './server-harness.js';

const database = useTestDatabase();
let app: StrataApp;

beforeAll(() => {
  app = testApp(database, testGraph(), tempArtifacts());
});
afterAll(async () => {
  releaseSlow();
  await app.close();
});

describe('/api/backfills', () => {
  it('creates a backfill and acts on it', async () => {
    const created = bodyOf(
      await postJson(app, '/api/backfills', { selection: 'sim/mesh, summary', chunkSize: 1 }),
      BackfillDetail,
      201,
    );
    expect(created).toMatchObject({
      status: 'running',
      chunkSize: 1,
      maxRuns: 4,
      totals: { targets: 3, pending: 3, remaining: 3 },
    });
    expect(created.assets.map((a) => [a.key, a.targets])).toEqual([
      ['sim/mesh', 2],
      ['summary', 1],
    ]);
    const url = `/api/backfills/${created.id}`;
    expect(bodyOf(await postJson(app, `${url}/pause`, {}), BackfillDetail).status).toBe('paused');
    expect(bodyOf(await postJson(app, `${url}/resume`, {}), BackfillDetail).status).toBe('running');
    expect(bodyOf(await postJson(app, `${url}/retry`, {}), BackfillDetail).status).toBe('running');
    expect(bodyOf(await postJson(app, `${url}/cancel`, {}), BackfillDetail).status).toBe(
      'canceled',
    );
    const refused = expectError(await postJson(app, `${url}/resume`, {}), 400);
    expect(refused.message).toMatch(/is canceled: it cannot be resumed/);
    expect(bodyOf(await getJson(app, url), BackfillDetail).id).toBe(created.id);
    const list = bodyOf(await getJson(app, '/api/backfills'), BackfillList);
    expect(list.items.map((b) => b.id)).toContain(created.id);
  });

  it('drives a backfill it created to the end and lists it with who and runs in flight', async () => {
    const created = bodyOf(
      await postJson(app, '/api/backfills', { selection: 'geometry, sim/mesh', force: true }),
      BackfillDetail,
      201,
    );
    const url = `/api/backfills/${created.id}`;
    await expect
      .poll(async () => bodyOf(await getJson(app, url), BackfillDetail).status, {
        timeout: 20_000,
      })
      .toBe('succeeded');
    const done = bodyOf(await getJson(app, url), BackfillDetail);
    expect(done.totals).toMatchObject({ targets: 3, done: 3, remaining: 0 });
    const listed = bodyOf(await getJson(app, '/api/backfills'), BackfillList).items.find(
      (b) => b.id === created.id,
    );
    expect(listed).toMatchObject({
      launchedBy: 'local',
      runsInFlight: 0,
      finishedAt: done.finishedAt,
      totals: { targets: 3, done: 3 },
    });
  });

  it('drives, once started, a backfill an earlier process left running', async () => {
    // Written as `strata backfill --detach` would, with no driver of this server.
    const { id } = await createBackfill(database.db, testGraph(), {
      selection: 'geometry',
      force: true,
      launchedBy: 'earlier@host',
    });
    expect(await app.resumeBackfills()).toContain(id);
    await expect
      .poll(async () => bodyOf(await getJson(app, `/api/backfills/${id}`), BackfillDetail).status, {
        timeout: 20_000,
      })
      .toBe('succeeded');
  });

  it('refuses unknown partitions, bad limits and unknown backfills', async () => {
    const range = expectError(
      await postJson(app, '/api/backfills', { selection: 'sim/mesh', from: 'medium' }),
      400,
      'from',
    );
    expect(range.message).toMatch(/--from "medium": asset sim\/mesh has no such partition/);
    expectError(await postJson(app, '/api/backfills', { chunkSize: 0 }), 400, 'chunkSize');
    expectError(await getJson(app, '/api/backfills/999999'), 404);
  });
});
