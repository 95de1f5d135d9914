// The automation daemon inside the server: it starts with the app when an asset declares a
// policy, launches through the server's worker pool, and its ticks are listed, newest first, by
// GET /api/automation/ticks; runs carry their trigger and reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset } from '../../src/definitions/index.js';
import { watchRun } from '../../src/executor/index.js';
import type { StrataApp } from '../../src/server/index.js';
import { AutomationTickPage } from '../../src/server/schemas/automation-schemas.js';
import { RunDetail } from '../../src/server/schemas/run-schemas.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, tempArtifacts } from '../support/engine.js';
import { bodyOf, expectError, getJson, postJson, testApp } from './server-harness.js';

const database = useTestDatabase();
let app: StrataApp;

const source = asset({ key: 'source', schema: z.number(), codeVersion: '1', compute: () => 1 });
const derived = asset({
  key: 'derived',
  deps: { source },
  schema: z.number(),
  codeVersion: '1',
  automation: 'eager',
  compute: ({ inputs }) => inputs.source + 1,
});
const plain = asset({ key: 'plain', schema: z.number(), codeVersion: '1', compute: () => 3 });

beforeAll(() => {
  // A long interval: the test drives the ticks after the first one.
  app = testApp(database, graphOf([source, derived, plain]), tempArtifacts(), {
    automation: { intervalMs: 3_600_000 },
  });
});
afterAll(() => app.close());

describe('automation in the server', () => {
  it('records its ticks and launches runs with their trigger and reason', async () => {
    expect(app.automation).toBeDefined();
    const first = await app.automation!.tick(); // the start tick, or one right after it
    expect(first.status).toBe('succeeded');
    const page = bodyOf(await getJson(app, '/api/automation/ticks'), AutomationTickPage);
    expect(page.items.length).toBeGreaterThanOrEqual(1);
    const tick = page.items[0]!;
    expect([tick.status, tick.evaluatedAssets, tick.runId]).toEqual(['succeeded', 1, null]);
    expect(tick.held).toEqual([
      { key: 'derived', partitions: [], reason: 'waiting for source (missing, not automated)' },
    ]);

    const launch = await postJson(app, '/api/runs', { selection: 'source' });
    const { runId } = launch.body as { runId: number };
    await watchRun(database.db, database.pool, runId, () => undefined);

    const second = await app.automation!.tick();
    if (second.status === 'standby') throw new Error('the server daemon stood by');
    expect(second.launched.map((e) => [e.key, e.rule])).toEqual([['derived', 'eager']]);
    await watchRun(database.db, database.pool, second.runId!, () => undefined);
    const run = bodyOf(await getJson(app, `/api/runs/${second.runId}`), RunDetail);
    expect([run.status, run.trigger, run.selection]).toEqual([
      'succeeded',
      'automation',
      'derived',
    ]);
    expect(run.triggerReason).toMatch(/^derived: eager: /);

    const newest = bodyOf(await getJson(app, '/api/automation/ticks?limit=1'), AutomationTickPage);
    expect(newest.items.map((t) => t.runId)).toEqual([second.runId]);
    expect(newest.nextCursor).not.toBeNull();
    const older = bodyOf(
      await getJson(app, `/api/automation/ticks?limit=1&cursor=${newest.nextCursor}`),
      AutomationTickPage,
    );
    expect(older.items[0]!.tickId).toBeLessThan(newest.items[0]!.tickId);
  });

  it('answers 400 for a bad cursor or limit', async () => {
    expectError(await getJson(app, '/api/automation/ticks?cursor=nonsense'), 400, 'cursor');
    expectError(await getJson(app, '/api/automation/ticks?limit=0'), 400, 'limit');
  });

  it('runs no daemon when no asset declares a policy', () => {
    const quiet = testApp(database, graphOf([plain]), tempArtifacts(), { automation: {} });
    expect(quiet.automation).toBeUndefined();
    return quiet.close();
  });
});
