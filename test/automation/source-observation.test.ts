// The engineering example's material-properties file changes on disk; the automation daemon
// observes the new version and rebuilds exactly what depends on it, once: every FEA run (they all
// read the table), the metrics whose numbers changed (the others are cut off early), and the
// Pareto front. Nothing upstream runs, a later tick does nothing, and reformatting the file is
// not a change.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineStudy } from '../../assets/study.js';
import { studyFileOf } from '../../assets/study-files.js';
import { AutomationDaemon, type TickResult } from '../../src/automation/index.js';
import { RunLauncher, loadRunSummary, watchRun } from '../../src/executor/index.js';
import { buildAssetGraph } from '../../src/graph/index.js';
import { useTestDatabase } from '../support/database.js';
import { run, tempArtifacts, testEngine } from '../support/engine.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
const asset = (name: string) => new URL(`../../assets/${name}`, import.meta.url);

// A smaller sample than the example's 16 keeps the test quick; the semantics are the same.
const designSpace = readFileSync(asset('design-space.json'), 'utf8').replace(
  '"samples": 16',
  '"samples": 6',
);
const materialsPath = join(mkdtempSync(join(tmpdir(), 'strata-materials-')), 'materials.json');
copyFileSync(asset('material-properties.json'), materialsPath);

const graph = buildAssetGraph(
  defineStudy({
    designSpaceFile: studyFileOf('assets/design-space.json', designSpace),
    meshSettingsFile: studyFileOf(
      'assets/mesh-settings.json',
      readFileSync(asset('mesh-settings.json'), 'utf8'),
    ),
    materialPropertiesPath: materialsPath,
  }),
);
const clock = { now: new Date() };
let launcher: RunLauncher;
let daemon: AutomationDaemon;

beforeAll(() => {
  const engine = testEngine(database, graph, { artifacts });
  launcher = new RunLauncher(engine, { concurrency: 2 });
  daemon = new AutomationDaemon(engine, {
    launcher,
    now: () => clock.now,
  });
});

afterAll(async () => {
  await daemon.stop();
  await launcher.close();
});

/** A daemon tick two minutes after the previous one (material_properties: observeEvery 1m). */
async function tickLater(): Promise<Exclude<TickResult, { status: 'standby' }>> {
  clock.now = new Date(clock.now.getTime() + 2 * 60_000);
  const result = await daemon.tick();
  if (result.status === 'standby') throw new Error('the daemon did not act');
  expect(result.status).toBe('succeeded');
  return result;
}

/** Step statuses of a run per asset, e.g. { metrics: { succeeded: 2, fresh: 4 } }. */
async function stepCounts(runId: number) {
  await watchRun(database.db, database.pool, runId, () => undefined);
  const summary = await loadRunSummary(database.db, runId);
  expect(summary.status).toBe('succeeded');
  const counts: Record<string, Record<string, number>> = {};
  for (const step of summary.steps) {
    counts[step.key] ??= {};
    counts[step.key]![step.status] = (counts[step.key]![step.status] ?? 0) + 1;
  }
  return counts;
}

describe('a source file that changes on disk', () => {
  it('is observed by the daemon, and exactly its dependants are rebuilt, once', async () => {
    const built = await run(database, graph, { artifacts });
    expect(built.kind).toBe('run');
    const designs = await database.db
      .selectFrom('strata_internal.latest_materializations as l')
      .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
      .select('m.value')
      .where('l.asset_key', '=', 'design_point')
      .execute();
    const materials = designs.map((d) => (d.value as { material: string }).material);
    const steel = materials.filter((m) => m === 'steel').length;
    expect(materials).toHaveLength(6);
    // The sample mixes steel with other materials (seeded), so both sides of the cut-off show.
    expect(steel).toBeGreaterThan(0);
    expect(steel).toBeLessThan(6);

    // Nothing changed: observed, nothing to do.
    const quiet = await tickLater();
    expect(quiet.observed).toEqual([
      expect.objectContaining({ key: 'material_properties', outcome: 'unchanged' }),
    ]);
    expect(quiet.launched).toEqual([]);
    expect(quiet.held).toEqual([]);

    // The materials database exports a new Young's modulus for steel.
    const text = readFileSync(materialsPath, 'utf8');
    writeFileSync(
      materialsPath,
      text.replace('"youngs_modulus_pa": 210e9', '"youngs_modulus_pa": 200e9'),
    );
    const changed = await tickLater();
    expect(changed.observed).toEqual([
      expect.objectContaining({ key: 'material_properties', outcome: 'new' }),
    ]);
    expect(changed.launched.map((e) => [e.key, e.rule])).toEqual([
      ['fea_run', 'eager'],
      ['metrics', 'eager'],
      ['pareto_front', 'eager'],
      ['plan_pareto_front', 'eager'],
    ]);
    expect(changed.launched[0]!.reason).toMatch(/material_properties/);
    expect(changed.runId).not.toBeNull();
    const counts = await stepCounts(changed.runId!);
    // Every FEA run reads the table; only the steel designs' numbers change, so the other
    // metrics are cut off early, and the fronts (of all designs, and of the baseline DOE) are
    // recomputed once.
    expect(counts).toEqual({
      fea_run: { succeeded: 6 },
      metrics: { succeeded: steel, fresh: 6 - steel },
      pareto_front: { succeeded: 1 },
      plan_pareto_front: { succeeded: 1 },
    });

    // Once: the next tick finds nothing to do.
    const after = await tickLater();
    expect(after.launched).toEqual([]);
    expect(after.runId).toBeNull();

    // Reformatting the file does not change the table's version.
    writeFileSync(materialsPath, JSON.stringify(JSON.parse(readFileSync(materialsPath, 'utf8'))));
    const reformatted = await tickLater();
    expect(reformatted.observed).toEqual([
      expect.objectContaining({ key: 'material_properties', outcome: 'unchanged' }),
    ]);
    expect(reformatted.launched).toEqual([]);
  });
});
