// The example study's checks on real meshes and solves: every check passes on the study as
// shipped (each solve in equilibrium to 1e-6, every mesh well shaped, the recommendation safe);
// meshing with elements stretched past what a Q8 element bends accurately fails the blocking
// element_quality check, and no solve reads those meshes until the setting is fixed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { quadQuality } from '../../assets/checks.js';
import { studyFileOf } from '../../assets/study-files.js';
import { defineStudy } from '../../assets/study.js';
import { buildAssetGraph } from '../../src/graph/index.js';
import { computeStatus, createPlan } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { run, tempArtifacts } from '../support/engine.js';
import { summaryOf } from '../executor/helpers.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
const read = (file: string): string =>
  readFileSync(new URL(`../../assets/${file}`, import.meta.url), 'utf8');

function study(meshSettings = read('mesh-settings.json')) {
  return buildAssetGraph(
    defineStudy({
      designSpaceFile: studyFileOf('assets/design-space.json', read('design-space.json')),
      meshSettingsFile: studyFileOf('assets/mesh-settings.json', meshSettings),
    }),
  );
}

async function verdicts(asset: string) {
  return database.db
    .selectFrom('strata_internal.check_evaluations')
    .select(['partition_key', 'check_name', 'passed', 'description', 'metadata'])
    .where('asset_key', '=', asset)
    .orderBy('id')
    .execute();
}

describe('quadQuality', () => {
  const cases = [
    {
      name: 'unit square',
      corners: [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
      aspect: 1,
      jacobian: 1,
    },
    {
      name: '4:1 rectangle',
      corners: [
        [0, 0],
        [4, 0],
        [4, 1],
        [0, 1],
      ],
      aspect: 4,
      jacobian: 1,
    },
    {
      name: 'sheared 45 degrees',
      corners: [
        [0, 0],
        [1, 0],
        [2, 1],
        [1, 1],
      ],
      aspect: Math.SQRT2,
      jacobian: Math.SQRT1_2,
    },
    {
      name: 'inverted (clockwise)',
      corners: [
        [0, 0],
        [0, 1],
        [1, 1],
        [1, 0],
      ],
      aspect: 1,
      jacobian: -1,
    },
  ];
  it.each(cases)('$name', ({ corners, aspect, jacobian }) => {
    const quality = quadQuality(corners.map(([x, y]) => ({ x: x!, y: y! })));
    expect(quality.aspect).toBeCloseTo(aspect, 12);
    expect(quality.jacobian).toBeCloseTo(jacobian, 12);
  });
});

describe("the example study's checks", () => {
  it('pass on the study as shipped', async () => {
    const result = await run(database, study(), { artifacts, concurrency: 2 });
    expect(summaryOf(result).status).toBe('succeeded');
    const meshes = await verdicts('mesh');
    expect(meshes.length).toBe(16);
    expect(meshes.every((v) => v.check_name === 'element_quality' && v.passed)).toBe(true);
    const solves = await verdicts('fea_run');
    expect(solves.length).toBe(16);
    for (const v of solves) {
      expect(v.passed).toBe(true);
      expect(v.metadata.force_imbalance).toBeLessThan(1e-7);
      expect(v.metadata.moment_imbalance).toBeLessThan(1e-7);
    }
    const fronts = [...(await verdicts('pareto_front')), ...(await verdicts('plan_pareto_front'))];
    expect(fronts.map((v) => [v.check_name, v.passed])).toEqual([
      ['recommended_is_safe', true],
      ['recommended_is_safe', true],
    ]);
  });

  it('block every solve of a mesh stretched past aspect ratio 5', async () => {
    const stretched = read('mesh-settings.json').replace(
      /"max_aspect_ratio": [0-9.]+/,
      '"max_aspect_ratio": 8',
    );
    const graph = study(stretched);
    const result = await run(database, graph, { artifacts, concurrency: 2, selection: 'mesh+' });
    const summary = summaryOf(result);
    expect(summary.status).toBe('failed');
    const byStatus = (key: string) =>
      summary.steps.filter((s) => s.key === key).map((s) => s.status);
    expect(byStatus('mesh').every((s) => s === 'failed')).toBe(true);
    expect(byStatus('fea_run').every((s) => s === 'skipped')).toBe(true);
    const failed = (await verdicts('mesh')).filter((v) => !v.passed);
    expect(failed.length).toBe(16);
    expect(failed.every((v) => (v.metadata.max_aspect_ratio as number) > 5)).toBe(true);

    const report = await computeStatus(database.db, graph, graph.order);
    const meshes = [...report.statuses.get(graph.node('mesh').key)!.values()];
    expect(meshes.every((s) => s.status === 'blocked')).toBe(true);
    const plan = await createPlan(database.db, graph, undefined);
    expect(plan.steps).toEqual([]);
    expect(plan.blockedCount).toBe(16);
    expect(new Set(plan.held.map((h) => h.key))).toEqual(
      new Set(['fea_run', 'metrics', 'pareto_front', 'plan_pareto_front']),
    );
  });
});
