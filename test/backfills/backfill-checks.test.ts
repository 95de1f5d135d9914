// A blocking check in a backfill (docs/semantics.md, "Asset checks"; docs/backfills.md): the
// partition it fails on and what reads it are held back, never launched again and again; the
// rest completes, and the backfill ends failed with the held targets named.
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBackfill, driveBackfill, retryBackfill } from '../../src/backfills/index.js';
import { allPartitions, asset, check, staticPartitions } from '../../src/definitions/index.js';
import { RunLauncher } from '../../src/executor/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, testEngine } from '../support/engine.js';

const database = useTestDatabase();
const designs = staticPartitions(['d1', 'd2', 'd3']);
const mesh = asset({
  key: 'mesh',
  partitions: designs,
  schema: z.number(),
  compute: ({ partitionKey }) => (partitionKey === 'd2' ? 9 : 1),
});
const solve = asset({
  key: 'solve',
  partitions: designs,
  deps: { mesh },
  schema: z.number(),
  compute: ({ inputs }) => inputs.mesh * 2,
});
const report = asset({
  key: 'report',
  deps: { solve: allPartitions(solve) },
  schema: z.number(),
  compute: ({ inputs }) => Object.keys(inputs.solve).length,
});
const aspect = check({
  asset: mesh,
  name: 'aspect_ratio',
  blocking: true,
  codeVersion: '1',
  run: ({ value }) => value < 5,
});
const graph = graphOf([mesh, solve, report], { checks: [aspect] });
const engine = testEngine(database, graph);
const launcher = new RunLauncher(engine, { concurrency: 2 });
afterAll(() => launcher.close());

describe('a backfill with a failing blocking check', () => {
  it('holds the blocked partition and its readers back, and completes the rest', async () => {
    const { id } = await createBackfill(database.db, graph, { chunkSize: 2 });
    const progress = await driveBackfill(engine, launcher, id, { launchedBy: 'test', pollMs: 20 });
    expect(progress.status).toBe('failed');
    const byAsset = Object.fromEntries(progress.assets.map((a) => [a.key, a]));
    expect(byAsset.mesh).toMatchObject({ targets: 3, done: 2 });
    expect(byAsset.solve).toMatchObject({ targets: 3, done: 2 });
    // The check fails mesh[d2]'s step; solve[d2] and report wait for it (pending).
    const problems = (p: typeof progress) =>
      p.problems.map((t) => `${t.key}[${t.partition}] ${t.state}`);
    expect(problems(progress)).toEqual(['mesh[d2] failed']);
    expect(progress.totals).toMatchObject({ done: 4, failed: 1, pending: 2 });

    // Retried, mesh[d2] is blocked (nothing changed, the check would fail again): held.
    await retryBackfill(database.db, id);
    const retried = await driveBackfill(engine, launcher, id, { launchedBy: 'test', pollMs: 20 });
    expect(retried.status).toBe('failed');
    expect(problems(retried)).toEqual(['mesh[d2] held']);
    expect(retried.problems[0]!.error).toMatch(/blocking check failed/);

    // A backfill of what reads it: solve[d2] is held by the planner (it reads a blocked partition).
    const readers = await createBackfill(database.db, graph, { selection: 'solve', force: true });
    const held = await driveBackfill(engine, launcher, readers.id, {
      launchedBy: 'test',
      pollMs: 20,
    });
    expect(problems(held)).toEqual(['solve[d2] held']);
    expect(held.problems[0]!.error).toMatch(/held: reads mesh\[d2\], blocked by aspect_ratio/);
    expect(held.totals).toMatchObject({ done: 2, held: 1 });
  });
});
