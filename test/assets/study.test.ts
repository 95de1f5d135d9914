// The engineering study end to end, as a user lives it: first build, nothing to do, a mesh
// change rebuilds exactly mesh -> fea_run -> metrics -> pareto_front, a CAD code change that
// yields the same geometry stops at cad_revision, reverting reuses, growing the sample builds only
// the new designs, lineage reaches the exact CAD revisions, and bad input names the field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPlan } from '../../src/planner/index.js';
import { buildAssetGraph } from '../../src/graph/index.js';
import { loadLineage } from '../../src/provenance/index.js';
import { defineStudy, type StudyInputs } from '../../assets/study.js';
import { studyFileOf } from '../../assets/study-files.js';
import { useTestDatabase } from '../support/database.js';
import { run, tempArtifacts } from '../support/engine.js';
import { summaryOf } from '../executor/helpers.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
const designSpaceText = readFileSync(
  new URL('../../assets/design-space.json', import.meta.url),
  'utf8',
);
const meshSettingsText = readFileSync(
  new URL('../../assets/mesh-settings.json', import.meta.url),
  'utf8',
);

function study(
  changes: { designSpace?: string; meshSettings?: string; cadCodeVersion?: string } = {},
) {
  const inputs: StudyInputs = {
    designSpaceFile: studyFileOf(
      'assets/design-space.json',
      changes.designSpace ?? designSpaceText,
    ),
    meshSettingsFile: studyFileOf(
      'assets/mesh-settings.json',
      changes.meshSettings ?? meshSettingsText,
    ),
    ...(changes.cadCodeVersion ? { cadCodeVersion: changes.cadCodeVersion } : {}),
  };
  return buildAssetGraph(defineStudy(inputs));
}

/** Step outcomes per asset, e.g. { mesh: { succeeded: 16 } }. */
async function outcome(
  graph: ReturnType<typeof study>,
): Promise<{ runId: number | null; counts: Record<string, Record<string, number>> }> {
  const result = await run(database, graph, { artifacts, concurrency: 2 });
  if (result.kind === 'nothing_to_do') return { runId: null, counts: {} };
  const summary = summaryOf(result);
  expect(summary.status).toBe('succeeded');
  const counts: Record<string, Record<string, number>> = {};
  for (const step of summary.steps) {
    counts[step.key] ??= {};
    counts[step.key]![step.status] = (counts[step.key]![step.status] ?? 0) + 1;
  }
  return { runId: summary.runId, counts };
}

async function toolCallsOf(runId: number) {
  const rows = await database.db
    .selectFrom('strata_internal.tool_calls')
    .select(['server'])
    .where('run_id', '=', runId)
    .execute();
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.server] = (counts[row.server] ?? 0) + 1;
  return counts;
}

const grown = designSpaceText.replace('"samples": 16', '"samples": 24');
const finerMesh = meshSettingsText.replace(
  '"elements_through_height": 4',
  '"elements_through_height": 6',
);

describe('the engineering study', () => {
  it('builds everything, then does nothing', async () => {
    const first = await outcome(study());
    expect(first.counts).toEqual({
      design_space: { succeeded: 1 },
      designs: { succeeded: 1 },
      design_point: { succeeded: 16 },
      cad_revision: { succeeded: 16 },
      mesh: { succeeded: 16 },
      fea_run: { succeeded: 16 },
      metrics: { succeeded: 16 },
      pareto_front: { succeeded: 1 },
      plan_pareto_front: { succeeded: 1 },
    });
    expect(await toolCallsOf(first.runId!)).toEqual({ cad: 16, mesher: 16, solver: 16 });
    expect((await outcome(study())).runId).toBeNull();
  });

  it('rebuilds mesh, fea_run, metrics and pareto_front, never cad_revision, when the mesh density changes', async () => {
    const plan = await createPlan(database.db, study({ meshSettings: finerMesh }), undefined);
    const planned: Record<string, string[]> = {};
    for (const step of plan.steps)
      planned[step.key] = [
        ...new Set([...(planned[step.key] ?? []), ...step.causes.map((c) => c.category)]),
      ];
    expect(planned).toEqual({
      mesh: ['code'],
      fea_run: ['upstream'],
      metrics: ['upstream'],
      pareto_front: ['upstream'],
      plan_pareto_front: ['upstream'],
    });
    const changed = await outcome(study({ meshSettings: finerMesh }));
    expect(changed.counts).toEqual({
      mesh: { succeeded: 16 },
      fea_run: { succeeded: 16 },
      metrics: { succeeded: 16 },
      pareto_front: { succeeded: 1 },
      plan_pareto_front: { succeeded: 1 },
    });
    expect(await toolCallsOf(changed.runId!)).toEqual({ mesher: 16, solver: 16 });
  });

  it('reuses the earlier results when the change is reverted', async () => {
    const reverted = await outcome(study());
    expect(reverted.counts).toEqual({
      mesh: { reused: 16 },
      fea_run: { reused: 16 },
      metrics: { reused: 16 },
      pareto_front: { reused: 1 },
      plan_pareto_front: { reused: 1 },
    });
    expect(await toolCallsOf(reverted.runId!)).toEqual({});
  });

  it('stops at cad_revision when a CAD code change yields the same geometry (early cutoff)', async () => {
    const changed = await outcome(study({ cadCodeVersion: '2' }));
    expect(changed.counts).toEqual({
      cad_revision: { succeeded: 16 },
      mesh: { fresh: 16 },
      fea_run: { fresh: 16 },
      metrics: { fresh: 16 },
      pareto_front: { fresh: 1 },
      plan_pareto_front: { fresh: 1 },
    });
    expect(await toolCallsOf(changed.runId!)).toEqual({ cad: 16 });
  });

  it('builds only the 8 new design points and the fan-in when the sample grows from 16 to 24', async () => {
    const more = await outcome(study({ cadCodeVersion: '2', designSpace: grown }));
    expect(more.counts.cad_revision).toEqual({ succeeded: 8, fresh: 16 });
    expect(more.counts.fea_run).toEqual({ succeeded: 8, fresh: 16 });
    expect(more.counts.pareto_front).toEqual({ succeeded: 1 });
    expect(await toolCallsOf(more.runId!)).toEqual({ cad: 8, mesher: 8, solver: 8 });
  });

  it('traces the recommendation to the exact CAD revisions, meshes and runs behind it', async () => {
    const latest = await database.db
      .selectFrom('strata_internal.latest_materializations')
      .select(['asset_key', 'materialization_id', 'data_version'])
      .where('asset_key', 'in', ['pareto_front', 'cad_revision', 'mesh', 'fea_run'])
      .execute();
    const of = (key: string) => latest.filter((l) => l.asset_key === key);
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
    const lineage = await loadLineage(database.db, {
      materializationId: of('pareto_front')[0]!.materialization_id,
      direction: 'upstream',
    });
    const upstream = (key: string) => lineage.nodes.filter((n) => n.assetKey === key);
    // The meshes and runs behind the recommendation are the current ones.
    for (const key of ['mesh', 'fea_run']) {
      expect(sorted(upstream(key).map((n) => n.materializationId))).toEqual(
        sorted(of(key).map((l) => l.materialization_id)),
      );
    }
    // The CAD revisions are exactly those the meshes consumed: for the 16 first designs, the
    // revisions built before the CAD code change (the rebuilt ones had identical geometry).
    const consumed = await database.db
      .selectFrom('strata_internal.materialization_inputs')
      .select('dep_materialization_id')
      .where(
        'materialization_id',
        'in',
        of('mesh').map((l) => l.materialization_id),
      )
      .where('dep_asset_key', '=', 'cad_revision')
      .execute();
    const cad = upstream('cad_revision');
    expect(sorted(cad.map((n) => n.materializationId))).toEqual(
      sorted(consumed.map((c) => c.dep_materialization_id)),
    );
    expect(cad).toHaveLength(24);
    expect(new Set(cad.map((n) => n.dataVersion))).toEqual(
      new Set(of('cad_revision').map((l) => l.data_version)),
    );
  });

  it('fails design_space with a message naming the field, and runs nothing downstream', async () => {
    const broken = grown.replace('"min": 0.06', '"min": 0.3');
    const result = await run(database, study({ cadCodeVersion: '2', designSpace: broken }), {
      artifacts,
    });
    const summary = summaryOf(result);
    expect(summary.status).toBe('failed');
    const failed = summary.steps.filter((s) => s.status === 'failed');
    expect(failed.map((s) => s.key)).toEqual(['design_space']);
    expect(failed[0]!.error).toContain('variables.height_m');
    expect(summary.steps.filter((s) => !['failed', 'skipped'].includes(s.status))).toEqual([]);
  });
});
