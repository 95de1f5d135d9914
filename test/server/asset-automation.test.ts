// What the lineage browser reads about automation: each asset's automation policy in the graph
// and in its detail (null without one; every kind in words, on-cron with its schedule), and the trigger of a run in every progress message of
// the event stream, so a page can tell the daemon's runs from the others as they appear.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, sourceAsset } from '../../src/definitions/index.js';
import { observeSources } from '../../src/executor/index.js';
import type { StrataApp } from '../../src/server/index.js';
import { AssetDetailResponse, AssetGraphResponse } from '../../src/server/schemas/asset-schemas.js';
import { RunProgressMessage } from '../../src/server/schemas/run-schemas.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, tempArtifacts, testEngine } from '../support/engine.js';
import { bodyOf, getJson, openEvents, postJson, testApp } from './server-harness.js';

const database = useTestDatabase();
let app: StrataApp;
/** The run launched through the API. */
let manualRun: number;

const source = asset({ key: 'source', schema: z.number(), codeVersion: '1', compute: () => 1 });
const derived = asset({
  key: 'derived',
  deps: { source },
  schema: z.number(),
  codeVersion: '1',
  automation: 'eager',
  compute: ({ inputs }) => inputs.source + 1,
});

beforeAll(() => {
  // A long interval: the test drives the ticks.
  app = testApp(database, graphOf([source, derived]), tempArtifacts(), {
    automation: { intervalMs: 3_600_000 },
  });
});
afterAll(() => app.close());

const EAGER = {
  kind: 'eager',
  cron: null,
  timezone: null,
  description: 'rebuilt by the automation daemon whenever a partition is missing or stale',
};

describe('automation in the asset and event APIs', () => {
  it('shows the automation policy of each asset', async () => {
    const graph = bodyOf(await getJson(app, '/api/assets'), AssetGraphResponse);
    const policies = Object.fromEntries(graph.nodes.map((node) => [node.key, node.automation]));
    expect(policies).toEqual({ source: null, derived: EAGER });
    const detail = bodyOf(await getJson(app, '/api/assets/derived'), AssetDetailResponse);
    expect(detail.automation).toEqual(EAGER);
  });

  it('says every kind of policy in words, with the schedule of on-cron', async () => {
    const daily = asset({
      key: 'daily',
      deps: { source },
      schema: z.number(),
      codeVersion: '1',
      automation: { onCron: '0 6 * * *', timezone: 'Europe/Berlin' },
      compute: ({ inputs }) => inputs.source,
    });
    const kept = asset({
      key: 'kept',
      deps: { source },
      schema: z.number(),
      codeVersion: '1',
      freshness: { maxLag: '6h' },
      automation: 'freshness',
      compute: ({ inputs }) => inputs.source,
    });
    // No daemon: only the definitions are read.
    const reader = testApp(database, graphOf([source, daily, kept]), tempArtifacts());
    try {
      const graph = bodyOf(await getJson(reader, '/api/assets'), AssetGraphResponse);
      const policies = Object.fromEntries(graph.nodes.map((node) => [node.key, node.automation]));
      expect(policies).toEqual({
        source: null,
        daily: {
          kind: 'on-cron',
          cron: '0 6 * * *',
          timezone: 'Europe/Berlin',
          description:
            'rebuilt by the automation daemon at each tick of 0 6 * * * (Europe/Berlin), once per tick, the partitions then missing or stale',
        },
        kept: {
          kind: 'freshness',
          cron: null,
          timezone: null,
          description:
            'rebuilt by the automation daemon before its freshness policy fails, with what that requires upstream',
        },
      });
    } finally {
      await reader.close();
    }
  });

  it('names the trigger of the run in its progress messages', async () => {
    const events = await openEvents(app);
    try {
      const launch = await postJson(app, '/api/runs', { selection: 'source' });
      const { runId } = launch.body as { runId: number };
      manualRun = runId;
      const manual = await events.until(
        (m) =>
          m.event === 'progress' &&
          RunProgressMessage.parse(m.data).runId === runId &&
          RunProgressMessage.parse(m.data).status !== 'running',
      );
      expect(RunProgressMessage.parse(manual.data).trigger).toBe('api');

      const tick = await app.automation!.tick();
      if (tick.status === 'standby') throw new Error('the server daemon stood by');
      expect(tick.launched.map((entry) => entry.key)).toEqual(['derived']);
      const automated = await events.until(
        (m) => m.event === 'progress' && RunProgressMessage.parse(m.data).runId === tick.runId,
      );
      expect(RunProgressMessage.parse(automated.data)).toMatchObject({
        runId: tick.runId,
        trigger: 'automation',
      });
    } finally {
      await events.close();
    }
  });

  it('names the trigger in the snapshot of one run', async () => {
    const events = await openEvents(app, manualRun);
    try {
      const snapshot = await events.next();
      expect(snapshot.event).toBe('progress');
      expect(RunProgressMessage.parse(snapshot.data)).toMatchObject({
        runId: manualRun,
        trigger: 'api',
      });
    } finally {
      await events.close();
    }
  });

  it('marks a source asset with how it is observed (null for computed assets)', async () => {
    const table = sourceAsset({
      key: 'table',
      schema: z.number(),
      observeEvery: '5m',
      observe: () => 1,
    });
    const uses = asset({
      key: 'uses',
      deps: { table },
      schema: z.number(),
      codeVersion: '1',
      compute: ({ inputs }) => inputs.table,
    });
    const graph = graphOf([table, uses]);
    const artifacts = tempArtifacts();
    const reader = testApp(database, graph, artifacts);
    try {
      const nodes = bodyOf(await getJson(reader, '/api/assets'), AssetGraphResponse);
      const sources = Object.fromEntries(nodes.nodes.map((node) => [node.key, node.source]));
      expect(sources).toEqual({
        table: {
          observeEveryMs: 300_000,
          description:
            'observed by the automation daemon at most every 5m, and before every run that reads it',
        },
        uses: null,
      });
      const before = bodyOf(await getJson(reader, '/api/assets/table'), AssetDetailResponse);
      expect(before.source?.observeEveryMs).toBe(300_000);
      expect(before.partition?.latest).toBeNull();
      // Observed twice, the same version: first observed at the first, last observed at the second.
      const at = (minute: number) => new Date(Date.UTC(2026, 4, 1, 10, minute));
      for (const minute of [0, 7])
        await observeSources(testEngine(database, graph, { artifacts }), { now: () => at(minute) });
      const after = bodyOf(await getJson(reader, '/api/assets/table'), AssetDetailResponse);
      expect(after.partition?.latest).toMatchObject({
        materializedAt: at(0).toISOString(),
        observedAt: at(7).toISOString(),
      });
    } finally {
      await reader.close();
    }
  });
});
