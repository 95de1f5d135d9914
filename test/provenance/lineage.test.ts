// Instance-level lineage and provenance queries against real PostgreSQL: a diamond of
// materializations (geometry -> mesh[a], mesh[b] -> summary -> report), walked upstream and
// downstream with and without depth limits, resolution of references, and provenance contents.
import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, UsageError } from '../../src/errors.js';
import {
  loadLineage,
  loadProvenance,
  resolveMaterialization,
  type Lineage,
} from '../../src/provenance/index.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

interface Ids {
  geometry: number;
  geometryOld: number;
  meshA: number;
  meshB: number;
  summary: number;
  report: number;
  runId: number;
}
let ids: Ids;

async function insertMaterialization(
  runId: number,
  assetKey: string,
  partitionKey: string,
  dataVersion: string,
  extra: { value?: unknown; reusedFrom?: number; latest?: boolean } = {},
): Promise<number> {
  const row = await database.db
    .insertInto('strata_internal.materializations')
    .values({
      asset_key: assetKey,
      partition_key: partitionKey,
      run_id: runId,
      code_version: 'v1',
      data_version: dataVersion,
      input_hash: `in-${dataVersion}`,
      value: JSON.stringify(extra.value ?? null),
      value_size: 4,
      metadata: JSON.stringify({ cells: 42 }),
      reused_from: extra.reusedFrom ?? null,
      finished_at: new Date('2024-05-01T10:00:00Z'),
      duration_ms: 12.5,
      host: 'test-host',
      worker_id: 'w1',
      git_commit: 'abc123',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (extra.latest !== false) {
    await database.db
      .insertInto('strata_internal.latest_materializations')
      .values({
        asset_key: assetKey,
        partition_key: partitionKey,
        materialization_id: row.id,
        code_version: 'v1',
        data_version: dataVersion,
        input_hash: `in-${dataVersion}`,
        materialized_at: new Date('2024-05-01T10:00:00Z'),
      })
      .onConflict((oc) =>
        oc.columns(['asset_key', 'partition_key']).doUpdateSet({ materialization_id: row.id }),
      )
      .execute();
  }
  return row.id;
}

async function link(consumer: number, inputName: string, dep: number): Promise<void> {
  const row = await database.db
    .selectFrom('strata_internal.materializations')
    .select(['asset_key', 'partition_key', 'data_version'])
    .where('id', '=', dep)
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('strata_internal.materialization_inputs')
    .values({
      materialization_id: consumer,
      input_name: inputName,
      dep_asset_key: row.asset_key,
      dep_partition_key: row.partition_key,
      dep_materialization_id: dep,
      dep_data_version: row.data_version,
    })
    .execute();
}

async function insertRun(): Promise<number> {
  const run = await database.db
    .insertInto('strata_internal.runs')
    .values({ status: 'succeeded', selection: '*', host: 'test-host' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return run.id;
}

beforeAll(async () => {
  const oldRunId = await insertRun();
  const runId = await insertRun();
  const geometryOld = await insertMaterialization(oldRunId, 'geometry', '', 'g0', {
    latest: false,
  });
  const geometry = await insertMaterialization(runId, 'geometry', '', 'g1', { value: { h: 1 } });
  const meshA = await insertMaterialization(runId, 'sim/mesh', 'a', 'ma');
  const meshB = await insertMaterialization(runId, 'sim/mesh', 'b', 'mb', { reusedFrom: meshA });
  const summary = await insertMaterialization(runId, 'summary', '', 's1');
  const report = await insertMaterialization(runId, 'report', '', 'r1');
  await link(meshA, 'geometry', geometry);
  await link(meshB, 'geometry', geometry);
  await link(summary, 'meshes', meshA);
  await link(summary, 'meshes', meshB);
  await link(report, 'summary', summary);
  await link(report, 'geometry', geometry); // a shortcut: geometry is at depth 1 and 3 of report
  await database.db
    .insertInto('strata_internal.artifacts')
    .values({ sha256: 'f'.repeat(64), size: 1024, content_type: 'model/stl' })
    .execute();
  await database.db
    .insertInto('strata_internal.materialization_artifacts')
    .values({ materialization_id: meshA, sha256: 'f'.repeat(64), name: 'mesh.stl' })
    .execute();
  ids = { geometry, geometryOld, meshA, meshB, summary, report, runId };
});

const depths = (lineage: Lineage): Record<number, number> =>
  Object.fromEntries(lineage.nodes.map((node) => [node.materializationId, node.depth]));

describe('loadLineage', () => {
  it('walks the whole upstream closure with shortest depths', async () => {
    const lineage = await loadLineage(database.db, {
      materializationId: ids.report,
      direction: 'upstream',
    });
    expect(depths(lineage)).toEqual({
      [ids.report]: 0,
      [ids.summary]: 1,
      [ids.geometry]: 1,
      [ids.meshA]: 2,
      [ids.meshB]: 2,
    });
    expect(lineage.edges).toHaveLength(6);
    expect(lineage.edges).toContainEqual({ from: ids.meshA, to: ids.summary, inputName: 'meshes' });
    expect(lineage.depth).toBeNull();
    const root = lineage.nodes[0]!;
    expect(root).toMatchObject({
      materializationId: ids.report,
      assetKey: 'report',
      partitionKey: null,
      dataVersion: 'r1',
      codeVersion: 'v1',
      runId: ids.runId,
    });
    expect(root.materializedAt).toBeInstanceOf(Date);
  });

  it('stops at the depth limit and keeps only edges between returned nodes', async () => {
    const one = await loadLineage(database.db, {
      materializationId: ids.report,
      direction: 'upstream',
      depth: 1,
    });
    expect(depths(one)).toEqual({ [ids.report]: 0, [ids.summary]: 1, [ids.geometry]: 1 });
    expect(one.edges).toHaveLength(2);
    const zero = await loadLineage(database.db, {
      materializationId: ids.report,
      direction: 'upstream',
      depth: 0,
    });
    expect(zero.nodes.map((n) => n.materializationId)).toEqual([ids.report]);
    expect(zero.edges).toEqual([]);
  });

  it('walks downstream', async () => {
    const all = await loadLineage(database.db, {
      materializationId: ids.geometry,
      direction: 'downstream',
    });
    expect(depths(all)).toEqual({
      [ids.geometry]: 0,
      [ids.meshA]: 1,
      [ids.meshB]: 1,
      [ids.report]: 1,
      [ids.summary]: 2,
    });
    const two = await loadLineage(database.db, {
      materializationId: ids.meshA,
      direction: 'downstream',
      depth: 2,
    });
    expect(depths(two)).toEqual({ [ids.meshA]: 0, [ids.summary]: 1, [ids.report]: 2 });
    expect(two.nodes.find((n) => n.materializationId === ids.meshA)?.partitionKey).toBe('a');
  });

  it('returns the lone node for a materialization without inputs', async () => {
    const lineage = await loadLineage(database.db, {
      materializationId: ids.geometryOld,
      direction: 'downstream',
    });
    expect(lineage.nodes.map((n) => n.materializationId)).toEqual([ids.geometryOld]);
  });

  it('fails with NotFoundError for an unknown id', async () => {
    await expect(
      loadLineage(database.db, { materializationId: 999_999, direction: 'upstream' }),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('resolveMaterialization', () => {
  it('resolves ids, keys and partitions to the latest materialization', async () => {
    expect(await resolveMaterialization(database.db, undefined, String(ids.geometryOld))).toEqual({
      materializationId: ids.geometryOld,
      assetKey: 'geometry',
      partitionKey: null,
    });
    expect(
      (await resolveMaterialization(database.db, undefined, `#${ids.meshB}`)).materializationId,
    ).toBe(ids.meshB);
    expect(
      (await resolveMaterialization(database.db, undefined, 'geometry')).materializationId,
    ).toBe(ids.geometry);
    expect(await resolveMaterialization(database.db, undefined, 'sim/mesh[b]')).toEqual({
      materializationId: ids.meshB,
      assetKey: 'sim/mesh',
      partitionKey: 'b',
    });
  });

  it('explains what is missing', async () => {
    await expect(resolveMaterialization(database.db, undefined, '424242')).rejects.toThrow(
      /materialization #424242 does not exist/,
    );
    const typo = await resolveMaterialization(database.db, undefined, 'geometri').catch(
      (e: unknown) => e,
    );
    expect(typo).toBeInstanceOf(NotFoundError);
    expect((typo as NotFoundError).message).toBe('geometri has never been materialized');
    expect((typo as NotFoundError).hint).toBe('did you mean geometry?');
    const part = await resolveMaterialization(database.db, undefined, 'sim/mesh[c]').catch(
      (e: unknown) => e,
    );
    expect((part as NotFoundError).message).toBe('sim/mesh[c] has never been materialized');
    expect((part as NotFoundError).hint).toMatch(/did you mean sim\/mesh\[[ab]\]\?/);
    await expect(resolveMaterialization(database.db, undefined, 'Bad Key!')).rejects.toThrow(
      UsageError,
    );
  });
});

describe('loadProvenance', () => {
  it('returns every recorded field, the inputs and the artifacts', async () => {
    const provenance = await loadProvenance(database.db, ids.meshA);
    expect(provenance).toMatchObject({
      materializationId: ids.meshA,
      assetKey: 'sim/mesh',
      partitionKey: 'a',
      runId: ids.runId,
      stepId: null,
      attempt: null,
      codeVersion: 'v1',
      dataVersion: 'ma',
      inputHash: 'in-ma',
      metadata: { cells: 42 },
      reusedFrom: null,
      durationMs: 12.5,
      host: 'test-host',
      workerId: 'w1',
      gitCommit: 'abc123',
      inputs: [
        {
          inputName: 'geometry',
          assetKey: 'geometry',
          partitionKey: null,
          materializationId: ids.geometry,
          dataVersion: 'g1',
        },
      ],
      artifacts: [
        { name: 'mesh.stl', sha256: 'f'.repeat(64), size: 1024, contentType: 'model/stl' },
      ],
    });
    expect(provenance.finishedAt).toEqual(new Date('2024-05-01T10:00:00Z'));
    expect((await loadProvenance(database.db, ids.geometry)).value).toEqual({ h: 1 });
    expect((await loadProvenance(database.db, ids.meshB)).reusedFrom).toBe(ids.meshA);
  });

  it('fails with NotFoundError for an unknown id', async () => {
    await expect(loadProvenance(database.db, 999_999)).rejects.toThrow(NotFoundError);
  });
});
