// Recording a materialization's artifacts: rows land in both tables, repeated calls are
// idempotent, shared content is stored once, and an empty list writes nothing.
import { describe, expect, it } from 'vitest';
import { recordArtifacts } from '../../src/artifacts/index.js';
import type { ArtifactRef } from '../../src/definitions/index.js';
import { sha256Hex } from '../../src/util/canonical-json.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

/** A run and one materialization in it, with only the required columns. */
async function insertMaterialization(assetKey: string): Promise<number> {
  const run = await database.db
    .insertInto('strata_internal.runs')
    .values({ status: 'running', selection: assetKey, host: 'test-host' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const materialization = await database.db
    .insertInto('strata_internal.materializations')
    .values({
      asset_key: assetKey,
      run_id: run.id,
      code_version: 'v1',
      data_version: sha256Hex(assetKey),
      input_hash: sha256Hex(`inputs of ${assetKey}`),
      value_size: 0,
      metadata: {},
      finished_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(materialization.id);
}

/** A reference to `content` named `name`. */
function ref(content: string, name: string, contentType = 'text/plain'): ArtifactRef {
  return { artifact: `sha256:${sha256Hex(content)}`, name, size: content.length, contentType };
}

/** The rows of both tables, sorted. */
async function rows() {
  const artifacts = await database.db
    .selectFrom('strata_internal.artifacts')
    .select(['sha256', 'size', 'content_type'])
    .orderBy('sha256')
    .execute();
  const links = await database.db
    .selectFrom('strata_internal.materialization_artifacts')
    .select(['materialization_id', 'sha256', 'name'])
    .orderBy('materialization_id')
    .orderBy('sha256')
    .orderBy('name')
    .execute();
  return {
    artifacts: artifacts.map((row) => ({ ...row, size: Number(row.size) })),
    links: links.map((row) => ({ ...row, materialization_id: Number(row.materialization_id) })),
  };
}

describe('recordArtifacts', () => {
  it('records artifacts and links idempotently, storing shared content once', async () => {
    const first = await insertMaterialization('mesh');
    const second = await insertMaterialization('report');
    const mesh = ref('mesh bytes', 'mesh.vtk', 'application/octet-stream');
    const plot = ref('plot bytes', 'plot.svg', 'image/svg+xml');
    const meshCopy = { ...mesh, name: 'mesh-copy.vtk' };

    await recordArtifacts(database.db, first, [mesh, plot, mesh, meshCopy]);
    await recordArtifacts(database.db, first, [mesh, plot]);
    await database.db
      .transaction()
      .execute((trx) => recordArtifacts(trx, second, [plot, { ...plot, contentType: 'text/x' }]));

    const hex = (r: ArtifactRef) => r.artifact.slice('sha256:'.length);
    const expected = {
      artifacts: [
        { sha256: hex(mesh), size: mesh.size, content_type: 'application/octet-stream' },
        { sha256: hex(plot), size: plot.size, content_type: 'image/svg+xml' },
      ].sort((x, y) => x.sha256.localeCompare(y.sha256)),
      links: [
        { materialization_id: first, sha256: hex(mesh), name: 'mesh-copy.vtk' },
        { materialization_id: first, sha256: hex(mesh), name: 'mesh.vtk' },
        { materialization_id: first, sha256: hex(plot), name: 'plot.svg' },
        { materialization_id: second, sha256: hex(plot), name: 'plot.svg' },
      ].sort(
        (x, y) =>
          x.materialization_id - y.materialization_id ||
          x.sha256.localeCompare(y.sha256) ||
          x.name.localeCompare(y.name),
      ),
    };
    expect(await rows()).toEqual(expected);
  });

  it('writes nothing for an empty list', async () => {
    const before = await rows();
    await recordArtifacts(database.db, await insertMaterialization('empty'), []);
    expect(await rows()).toEqual(before);
  });

  it('rejects a malformed reference before writing', async () => {
    const id = await insertMaterialization('bad');
    const bad = { ...ref('x', 'x.txt'), artifact: 'sha256:nothex' };
    await expect(recordArtifacts(database.db, id, [bad])).rejects.toThrow(/invalid artifact id/);
  });
});
