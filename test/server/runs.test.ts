// Launching and following runs through the API: POST /api/runs executes in the server's worker
// pool and the event stream reports it to the end; runs list and detail (steps, attempts,
// events) with pagination; nothing to do; bad selections; cancel and resume with their 409s;
// and the refusal of cross-origin, non-JSON and read-only writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LaunchResponse,
  RunActionResponse,
  RunDetail,
  RunEventPage,
  RunPage,
  RunProgressMessage,
} from '../../src/server/schemas/run-schemas.js';
import { appendEvents } from '../../src/provenance/index.js';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { tempArtifacts } from '../support/engine.js';
import {
  awaitRun,
  bodyOf,
  expectError,
  getJson,
  openEvents,
  postJson,
  releaseSlow,
  testApp,
  testGraph,
} from './server-harness.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
let app: StrataApp;
let firstRun: number;

beforeAll(() => {
  app = testApp(database, testGraph(), artifacts);
});
afterAll(async () => {
  releaseSlow();
  await app.close();
});

describe('POST /api/runs', () => {
  it('launches a run that the server executes, followed to the end over the event stream', async () => {
    const launched = bodyOf(
      await postJson(app, '/api/runs', { selection: 'geometry,sim/mesh,summary' }),
      LaunchResponse,
      202,
    );
    expect(launched).toMatchObject({ status: 'running', steps: 4, missing: 4, stale: 0 });
    firstRun = launched.runId!;
    expect(launched.url).toBe(`/api/runs/${firstRun}`);
    const done = await awaitRun(app, firstRun);
    expect(done).toEqual({
      runId: firstRun,
      status: 'succeeded',
      counts: { succeeded: 4 },
      total: 4,
      trigger: 'api',
    });
    expect(app.liveClients).toBe(0);
  });

  it('answers 200 with runId null when everything is fresh', async () => {
    const result = bodyOf(
      await postJson(app, '/api/runs', { selection: 'sim/mesh' }),
      LaunchResponse,
    );
    expect(result).toMatchObject({
      runId: null,
      status: 'nothing_to_do',
      steps: 0,
      freshCount: 2,
      url: null,
    });
  });

  it('forces partitions of a selection', async () => {
    const result = bodyOf(
      await postJson(app, '/api/runs', {
        selection: 'sim/mesh',
        force: true,
        partitions: ['fine'],
      }),
      LaunchResponse,
      202,
    );
    expect(result.steps).toBe(1);
    expect((await awaitRun(app, result.runId!)).status).toBe('succeeded');
  });

  it('reports a bad selection with the planner message, hint and location', async () => {
    const error = expectError(
      await postJson(app, '/api/runs', { selection: 'geometry,sumary' }),
      400,
      'selection',
    );
    expect(error.message).toMatch(/sumary/);
    expect(error.hint).toBe('did you mean summary?');
    expect(error.details).toMatchObject({ term: 'sumary', column: 10 });
  });

  it('names the body field at fault', async () => {
    expectError(await postJson(app, '/api/runs', { selection: 3 }), 400, 'selection');
    expectError(await postJson(app, '/api/runs', { force: 'yes' }), 400, 'force');
    expectError(await postJson(app, '/api/runs', { partitions: ['a b'] }), 400, 'partitions.0');
    const typo = expectError(
      await postJson(app, '/api/runs', { selecton: 'geometry' }),
      400,
      'selecton',
    );
    expect(typo.hint).toBe('did you mean selection?');
    const unknown = expectError(
      await postJson(app, '/api/runs', { selection: 'sim/mesh', partitions: ['fien'] }),
      400,
      'partitions',
    );
    expect(unknown.hint).toBe('did you mean fine?');
    const bad = await app.request('/api/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"selection":',
    });
    expectError({ status: bad.status, body: await bad.json(), response: bad }, 400, 'body');
  });
});

describe('GET /api/runs', () => {
  it('lists runs newest first with step counts, page by page', async () => {
    const first = bodyOf(await getJson(app, '/api/runs?limit=1'), RunPage);
    expect(first.items).toHaveLength(1);
    expect(first.items[0]!.runId).toBeGreaterThan(firstRun);
    const rest = bodyOf(
      await getJson(app, `/api/runs?limit=10&cursor=${first.nextCursor}`),
      RunPage,
    );
    expect(rest.nextCursor).toBeNull();
    const oldest = rest.items.at(-1)!;
    expect(oldest).toMatchObject({
      runId: firstRun,
      status: 'succeeded',
      trigger: 'api',
      selection: 'geometry,sim/mesh,summary',
      counts: { succeeded: 4 },
      total: 4,
    });
    expect(oldest.durationMs).toBeGreaterThanOrEqual(0);
    const failed = bodyOf(await getJson(app, '/api/runs?status=failed'), RunPage);
    expect(failed.items).toEqual([]);
    expectError(await getJson(app, '/api/runs?status=done'), 400, 'status');
  });
});

describe('GET /api/runs/{id}', () => {
  it('returns steps with timing and attempts', async () => {
    const detail = bodyOf(await getJson(app, `/api/runs/${firstRun}`), RunDetail);
    expect(detail).toMatchObject({
      runId: firstRun,
      status: 'succeeded',
      options: { concurrency: 2 },
    });
    expect(
      detail.steps.map((s) => `${s.key}${s.partition === null ? '' : `[${s.partition}]`}`),
    ).toEqual(['geometry', 'sim/mesh[coarse]', 'sim/mesh[fine]', 'summary']);
    for (const step of detail.steps) {
      expect(step.status).toBe('succeeded');
      expect(step.attempts).toBe(1);
      expect(step.startedAt).not.toBeNull();
      expect(step.finishedAt).not.toBeNull();
      expect(step.materializationId).toBeGreaterThan(0);
    }
    expect(detail.attempts).toHaveLength(4);
    expect(detail.attempts.every((a) => a.status === 'succeeded' && a.number === 1)).toBe(true);
  });

  it('pages through events with a tail cursor and filters by level', async () => {
    const path = `/api/runs/${firstRun}/events`;
    const first = bodyOf(await getJson(app, `${path}?limit=2`), RunEventPage);
    expect(first.items).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    let cursor = first.nextCursor;
    const all = [...first.items];
    for (;;) {
      const page = bodyOf(await getJson(app, `${path}?limit=2&cursor=${cursor}`), RunEventPage);
      all.push(...page.items);
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    const ids = all.map((e) => e.eventId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.some((e) => e.message === 'meshed 2000 cells' && e.partition === 'fine')).toBe(true);
    const tail = bodyOf(await getJson(app, `${path}?cursor=${cursor}`), RunEventPage);
    expect(tail).toEqual({ items: [], nextCursor: cursor, hasMore: false });
    const errors = bodyOf(await getJson(app, `${path}?level=error`), RunEventPage);
    expect(errors.items).toEqual([]);
  });

  it("names the stream of a compute's captured output, and filters by it", async () => {
    const path = `/api/runs/${firstRun}/events`;
    const step = bodyOf(await getJson(app, `/api/runs/${firstRun}`), RunDetail).steps[0]!;
    const line = (stream: 'stdout' | 'stderr', message: string) =>
      ({
        runId: firstRun,
        stepId: step.stepId,
        assetKey: step.key,
        partitionKey: step.partition ?? '',
        kind: 'log',
        level: stream === 'stdout' ? 'info' : 'warn',
        message,
        data: { stream },
      }) as const;
    await appendEvents(database.db, [line('stdout', 'printed'), line('stderr', 'complained')]);
    const all = bodyOf(await getJson(app, path), RunEventPage).items;
    expect(all.filter((e) => e.stream !== null).map((e) => [e.stream, e.message])).toEqual([
      ['stdout', 'printed'],
      ['stderr', 'complained'],
    ]);
    expect(all.find((e) => e.message === 'meshed 2000 cells')?.stream).toBeNull();
    const stderr = bodyOf(await getJson(app, `${path}?stream=stderr`), RunEventPage).items;
    expect(stderr.map((e) => [e.stream, e.level, e.message])).toEqual([
      ['stderr', 'warn', 'complained'],
    ]);
    const quiet = bodyOf(await getJson(app, `${path}?stream=stdout&level=warn`), RunEventPage);
    expect(quiet.items).toEqual([]);
    expectError(await getJson(app, `${path}?stream=stdin`), 400, 'stream');
  });

  it('answers 404 for unknown runs and 400 for malformed ids', async () => {
    const error = expectError(await getJson(app, '/api/runs/999999'), 404, 'id');
    expect(error.message).toBe('run 999999 does not exist');
    expectError(await getJson(app, '/api/runs/999999/events'), 404);
    expectError(await getJson(app, '/api/runs/x1'), 400, 'id');
    expectError(await getJson(app, '/api/events?run=999999'), 404, 'run');
  });
});

describe('cancel and resume', () => {
  it('cancels a running run, refuses to cancel it twice, and resumes it', async () => {
    const events = await openEvents(app);
    const launched = bodyOf(
      await postJson(app, '/api/runs', { selection: 'slow' }),
      LaunchResponse,
      202,
    );
    const runId = launched.runId!;
    // The step is running once the stream reports it (every run's progress arrives here).
    await events.until((m) => {
      const progress = RunProgressMessage.parse(m.data);
      return progress.runId === runId && progress.counts.running === 1;
    });
    await events.close();
    expectError(await postJson(app, `/api/runs/${runId}/resume`, {}), 409);
    const canceled = bodyOf(
      await postJson(app, `/api/runs/${runId}/cancel`, {}),
      RunActionResponse,
    );
    expect(canceled).toMatchObject({ runId, status: 'canceled' });
    expect((await awaitRun(app, runId)).status).toBe('canceled');
    const again = expectError(await postJson(app, `/api/runs/${runId}/cancel`, {}), 409);
    expect(again.message).toBe(`run ${runId} has already finished (canceled)`);

    releaseSlow();
    bodyOf(await postJson(app, `/api/runs/${runId}/resume`, {}), RunActionResponse, 202);
    expect((await awaitRun(app, runId)).status).toBe('succeeded');
    const done = expectError(await postJson(app, `/api/runs/${runId}/resume`, {}), 409);
    expect(done.message).toMatch(/already succeeded/);
    expectError(await postJson(app, '/api/runs/999999/cancel', {}), 404);
  });
});

describe('write guards', () => {
  it('refuses cross-origin POSTs', async () => {
    const foreign = await postJson(app, '/api/runs', {}, { Origin: 'http://evil.example' });
    expect(expectError(foreign, 403).message).toMatch(/cross-origin/);
    expectError(await postJson(app, '/api/runs', {}, { 'Sec-Fetch-Site': 'cross-site' }), 403);
    expectError(await postJson(app, '/api/runs', {}, { 'Sec-Fetch-Site': 'same-site' }), 403);
    const same = await postJson(
      app,
      '/api/runs',
      { selection: 'geometry' },
      {
        Origin: 'http://localhost',
        'Sec-Fetch-Site': 'same-origin',
      },
    );
    expect(same.status).toBe(200);
  });

  it('requires a JSON body', async () => {
    const form = await app.request('/api/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'selection=geometry',
    });
    expectError(
      { status: form.status, body: await form.json(), response: form },
      415,
      'Content-Type',
    );
  });

  it('refuses writes on a read-only server', async () => {
    const readOnly = testApp(database, testGraph(), artifacts, { launch: false });
    try {
      expectError(await postJson(readOnly, '/api/runs', { selection: 'geometry' }), 403);
      expectError(await postJson(readOnly, `/api/runs/${firstRun}/cancel`, {}), 403);
      expect((await getJson(readOnly, '/api/runs')).status).toBe(200);
    } finally {
      await readOnly.close();
    }
  });
});
