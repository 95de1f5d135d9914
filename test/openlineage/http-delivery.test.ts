// OpenLineage over HTTP end to end, on a real database and a real receiver (a node:http server):
// a full run of a small graph arrives in order, valid against the spec, with the API key as a
// bearer token; a run made while the receiver is down is delivered whole, in order and without
// repeating what was delivered, once it is back; meanwhile `strata events prune` keeps the
// undelivered events. Two processes delivering to one sink at once send each event once, in
// order (the cursor row is locked per batch). The API key never appears in a warning.
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asset } from '../../src/definitions/index.js';
import {
  endpointOf,
  graphSchemaFields,
  HttpSink,
  startLineageDelivery,
  type LineageDelivery,
  type RunEvent,
} from '../../src/openlineage/index.js';
import { pruneHistory } from '../../src/retention/index.js';
import { meshGraphAssets } from '../fixtures/cli/mesh-graph.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { eventLines, expectLineageOrder } from './lineage-order.js';
import { expectValidEvents } from './spec-validator.js';
import { startReceiver, type TestReceiver } from './test-receiver.js';

const database = useTestDatabase();
const API_KEY = 'ol-test-key-7f3a9c';
const FAST = { pollMs: 50, minBackoffMs: 50, maxBackoffMs: 200 };

// geometry -> sim/mesh[coarse|fine] -> summary, and broken (fails twice) -> report (skipped).
const [geometry, ...rest] = meshGraphAssets();
const broken = asset({
  key: 'broken',
  deps: { geometry: geometry! },
  codeVersion: 'b1',
  retry: { maxAttempts: 2, delay: 0 },
  schema: z.number(),
  compute: () => {
    throw new Error('the mesher diverged');
  },
});
const report = asset({
  key: 'report',
  deps: { broken },
  codeVersion: 'r1',
  schema: z.string(),
  compute: ({ inputs }) => String(inputs.broken),
});
const graph = graphOf([geometry!, ...rest, broken, report]);

let receiver: TestReceiver;
const warnings: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.stop());

function deliver(): Promise<LineageDelivery> {
  return startLineageDelivery(database.db, {
    sinks: [new HttpSink(endpointOf(receiver.url), API_KEY)],
    namespace: 'test-project',
    schemaFieldsOf: graphSchemaFields(graph),
    batchSize: 20,
    settleMs: 2_000,
    timing: FAST,
    warn: (line) => warnings.push(line),
  });
}

/** The events of one job, in order. */
const ofJob = (events: readonly RunEvent[], name: string) =>
  events.filter((e) => e.job.name === name);

describe('OpenLineage over HTTP', () => {
  let firstRun: RunEvent[] = [];

  it('delivers a full run in order, valid against the spec, with the API key', async () => {
    const delivery = await deliver();
    const outcome = await run(database, graph);
    expect(outcome.kind).toBe('run');
    expect(await delivery.finish(10_000)).toEqual([]);
    firstRun = [...receiver.events];

    expectValidEvents(firstRun);
    expectLineageOrder(firstRun);
    expect(firstRun[0]).toMatchObject({ eventType: 'START', job: { name: 'strata.run' } });
    expect(firstRun.at(-1)).toMatchObject({ eventType: 'FAIL', job: { name: 'strata.run' } });
    expect(eventLines(ofJob(firstRun, 'broken'))).toEqual([
      'broken START',
      'broken RUNNING',
      'broken FAIL',
    ]);
    expect(eventLines(ofJob(firstRun, 'report'))).toEqual(['report START', 'report ABORT']);
    expect(eventLines(ofJob(firstRun, 'sim/mesh'))).toEqual([
      'sim/mesh START',
      'sim/mesh COMPLETE',
      'sim/mesh START',
      'sim/mesh COMPLETE',
    ]);
    expect(new Set(firstRun.map((e) => e.run.runId)).size).toBe(7); // the run and six steps
    expect(receiver.authorizations.every((a) => a === `Bearer ${API_KEY}`)).toBe(true);
    expect(warnings).toEqual([]);

    const summary = ofJob(firstRun, 'summary').at(-1)!;
    expect(summary.job.facets?.jobType).toMatchObject({ jobType: 'ASSET', integration: 'STRATA' });
    expect(summary.outputs[0]).toMatchObject({
      namespace: 'strata://test-project',
      name: 'summary',
    });
    expect(summary.outputs[0]!.facets?.schema).toMatchObject({
      fields: [{ name: 'total', type: 'number' }],
    });
    const meshInput = summary.inputs.find((d) => d.name === 'sim/mesh')!;
    const { versions } = meshInput.facets?.strata_dataVersion as unknown as {
      versions: { partition: string }[];
    };
    expect(versions.map((v) => v.partition).sort()).toEqual(['coarse', 'fine']);
    expect(summary.run.facets?.strata_inputHash).toBeDefined();
    const failed = ofJob(firstRun, 'broken').at(-1)!;
    expect(failed.run.facets?.errorMessage).toMatchObject({
      message: 'the mesher diverged',
      programmingLanguage: 'TypeScript',
    });
  });

  it('delivers a run made while the receiver was down, in order, once it is back', async () => {
    await receiver.stop();
    receiver.events.length = 0;
    receiver.authorizations.length = 0;
    const whileDown = await deliver();
    const outcome = await run(database, graph, { force: true });
    expect(outcome.kind).toBe('run');
    await waitFor(() => warnings.length > 0);
    const pending = await whileDown.finish(500);
    expect(pending).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^OpenLineage sink http:\/\/127\.0\.0\.1:\d+\/api\/v1\/lineage: unreachable/,
    );

    // Pruning everything old keeps what the sink has not received.
    const before = await pendingEventCount();
    const tally = await pruneHistory(database.db, {
      cutoff: new Date(Date.now() + 86_400_000),
      dryRun: false,
    });
    expect([...tally.events.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(await pendingEventCount()).toBe(before);

    await receiver.start();
    const afterRestart = await deliver();
    expect(await afterRestart.finish(10_000)).toEqual([]);
    const secondRun = receiver.events;
    expectValidEvents(secondRun);
    expectLineageOrder(secondRun);
    // The same shape as the first run, and nothing of the first run again.
    expect(eventLines(secondRun).sort()).toEqual(eventLines(firstRun).sort());
    const firstIds = new Set(firstRun.map((e) => e.run.runId));
    expect(secondRun.filter((e) => firstIds.has(e.run.runId))).toEqual([]);
    expect(warnings.join('\n')).not.toContain(API_KEY);
  });

  it('sends each event once when two processes deliver to the same sink', async () => {
    receiver.events.length = 0;
    const [one, two] = await Promise.all([deliver(), deliver()]);
    const outcome = await run(database, graph, { force: true });
    expect(outcome.kind).toBe('run');
    await waitFor(
      () => receiver.events.at(-1)?.job.name === 'strata.run' && receiver.events.length > 1,
    );
    // Stop both loops before draining: a drain that finds the cursor locked by the other
    // process's poll reports the sink as pending (busy), which is not what is tested here.
    await Promise.all([one!.stop(), two!.stop()]);
    expect(await one!.finish(10_000)).toEqual([]);
    expect(await two!.finish(10_000)).toEqual([]);
    const events = receiver.events;
    expectLineageOrder(events);
    expect(eventLines(events).sort()).toEqual(eventLines(firstRun).sort());
  });
});

async function pendingEventCount(): Promise<number> {
  const row = await database.db
    .selectFrom('strata_internal.events as e')
    .innerJoin('strata_internal.openlineage_cursors as c', (join) =>
      join.onRef('e.id', '>', 'c.delivered_event_id'),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
