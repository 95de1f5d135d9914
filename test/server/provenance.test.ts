// Materializations, lineage and artifacts: provenance with direct consumers and tool calls (with
// their arguments), lineage walks with direction and depth, and artifact downloads (content
// type, caching, integrity: a tampered file is a 500 JSON error with reason artifact_corrupted).
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaterializationPage } from '../../src/server/schemas/asset-schemas.js';
import {
  LineageResponse,
  ProvenanceResponse,
} from '../../src/server/schemas/materialization-schemas.js';
import type { StrataApp } from '../../src/server/index.js';
import { useTestDatabase } from '../support/database.js';
import { run, tempArtifacts } from '../support/engine.js';
import { bodyOf, expectError, getJson, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
let app: StrataApp;
const ids = { geometry: 0, coarse: 0, fine: 0, summary: 0 };

/** The latest materialization id of an asset partition, through the API. */
async function latestId(key: string, partition?: string): Promise<number> {
  const query = partition === undefined ? '' : `?partition=${partition}`;
  const page = bodyOf(
    await getJson(app, `/api/assets/${encodeURIComponent(key)}/materializations${query}`),
    MaterializationPage,
  );
  return page.items[0]!.materializationId;
}

beforeAll(async () => {
  const graph = testGraph();
  await run(database, graph, { artifacts, selection: 'geometry,sim/mesh,summary' });
  app = testApp(database, graph, artifacts);
  ids.geometry = await latestId('geometry');
  ids.coarse = await latestId('sim/mesh', 'coarse');
  ids.fine = await latestId('sim/mesh', 'fine');
  ids.summary = await latestId('summary');
});
afterAll(() => app.close());

describe('GET /api/materializations/{id}', () => {
  it('returns the provenance with inputs, artifacts, run and consumers', async () => {
    const fine = bodyOf(
      await getJson(app, `/api/materializations/${ids.fine}`),
      ProvenanceResponse,
    );
    expect(fine).toMatchObject({
      materializationId: ids.fine,
      assetKey: 'sim/mesh',
      partition: 'fine',
      attempt: 1,
      codeVersion: 'm1',
      isLatest: true,
      metadata: { cells: 2000 },
      inputs: [
        {
          inputName: 'geometry',
          assetKey: 'geometry',
          partition: null,
          materializationId: ids.geometry,
        },
      ],
      consumers: [
        {
          materializationId: ids.summary,
          assetKey: 'summary',
          partition: null,
          inputName: 'meshes',
        },
      ],
    });
    expect(fine.runId).toBeGreaterThan(0);
    expect(fine.host).not.toBeNull();
    expect(fine.artifacts).toHaveLength(1);
    const [artifact] = fine.artifacts;
    expect(artifact).toMatchObject({
      name: 'mesh.txt',
      contentType: 'text/plain; charset=utf-8',
      size: 11,
    });
    expect(artifact!.url).toBe(`/api/artifacts/${artifact!.sha256}`);
  });

  it('lists each tool call with its arguments, null for calls recorded before they were kept', async () => {
    const call = (tool: string, args: unknown) => ({
      attempt_id: 0,
      materialization_id: ids.coarse,
      server: 'solver',
      tool,
      argument_hash: `${tool}-hash`,
      arguments: args === null ? null : JSON.stringify(args),
      idempotency_key: `${tool}-key`,
      status: 'succeeded' as const,
      started_at: new Date(),
      duration_ms: 7,
    });
    const args = {
      tip_load_n: 1200,
      material: { name: 'steel', e_pa: 2.1e11 },
      token: '[redacted]',
    };
    await database.db
      .insertInto('strata_internal.tool_calls')
      .values([call('solve', args), call('legacy', null)])
      .execute();
    const coarse = bodyOf(
      await getJson(app, `/api/materializations/${ids.coarse}`),
      ProvenanceResponse,
    );
    expect(coarse.toolCalls).toEqual([
      {
        server: 'solver',
        tool: 'solve',
        toolVersion: null,
        argumentHash: 'solve-hash',
        arguments: {
          material: { e_pa: 2.1e11, name: 'steel' },
          tip_load_n: 1200,
          token: '[redacted]',
        },
        resultId: null,
        durationMs: 7,
      },
      expect.objectContaining({ tool: 'legacy', argumentHash: 'legacy-hash', arguments: null }),
    ]);
    // In canonical order (keys sorted), as hashed; not jsonb's shortest-first order.
    expect(Object.keys(coarse.toolCalls[0]!.arguments as object)).toEqual([
      'material',
      'tip_load_n',
      'token',
    ]);
    const { body } = await getJson(app, '/api/openapi.json');
    const schema = (body as { components: { schemas: Record<string, unknown> } }).components
      .schemas['Provenance'] as {
      properties: {
        toolCalls: { items: { properties: Record<string, { description?: string }> } };
      };
    };
    expect(schema.properties.toolCalls.items.properties['arguments']!.description).toMatch(
      /redacted/,
    );
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const unknown = expectError(await getJson(app, '/api/materializations/999999'), 404);
    expect(unknown.message).toBe('materialization #999999 does not exist');
    expectError(await getJson(app, '/api/materializations/abc'), 400, 'id');
    expectError(await getJson(app, '/api/materializations/0'), 400, 'id');
  });
});

describe('GET /api/materializations/{id}/lineage', () => {
  it('walks upstream by default', async () => {
    const lineage = bodyOf(
      await getJson(app, `/api/materializations/${ids.summary}/lineage`),
      LineageResponse,
    );
    expect(lineage).toMatchObject({ root: ids.summary, direction: 'upstream', depth: null });
    expect(lineage.nodes.map((n) => [n.materializationId, n.depth])).toEqual(
      [
        [ids.geometry, 2],
        [ids.coarse, 1],
        [ids.fine, 1],
        [ids.summary, 0],
      ].sort((a, b) => a[1]! - b[1]! || a[0]! - b[0]!),
    );
    expect(lineage.edges).toHaveLength(4);
    expect(lineage.nodes.find((n) => n.materializationId === ids.fine)!.partition).toBe('fine');
  });

  it('walks downstream within a depth', async () => {
    const lineage = bodyOf(
      await getJson(
        app,
        `/api/materializations/${ids.geometry}/lineage?direction=downstream&depth=1`,
      ),
      LineageResponse,
    );
    expect(lineage.depth).toBe(1);
    expect(lineage.nodes.map((n) => n.materializationId).sort()).toEqual(
      [ids.geometry, ids.coarse, ids.fine].sort(),
    );
  });

  it('names bad parameters and unknown materializations', async () => {
    const path = `/api/materializations/${ids.summary}/lineage`;
    expectError(await getJson(app, `${path}?direction=sideways`), 400, 'direction');
    expectError(await getJson(app, `${path}?depth=-1`), 400, 'depth');
    expectError(await getJson(app, `${path}?dept=1`), 400, 'dept');
    expectError(await getJson(app, '/api/materializations/999999/lineage'), 404);
  });
});

describe('GET /api/artifacts/{sha256}', () => {
  async function meshArtifact() {
    const fine = bodyOf(
      await getJson(app, `/api/materializations/${ids.fine}`),
      ProvenanceResponse,
    );
    return fine.artifacts[0]!;
  }

  it('downloads the bytes with the recorded content type and name', async () => {
    const artifact = await meshArtifact();
    const response = await app.request(artifact.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toMatch(/^inline; filename="mesh.txt"/);
    expect(response.headers.get('ETag')).toBe(`"${artifact.sha256}"`);
    expect(response.headers.get('Content-Security-Policy')).toMatch(/^sandbox/);
    expect(await response.text()).toBe('cells 2000\n');
    const download = await app.request(`${artifact.url}?download=true`);
    expect(download.headers.get('Content-Disposition')).toMatch(/^attachment; /);
    const prefixed = await app.request(`/api/artifacts/sha256:${artifact.sha256}`);
    expect(prefixed.status).toBe(200);
    const cached = await app.request(artifact.url, {
      headers: { 'If-None-Match': `"${artifact.sha256}"` },
    });
    expect(cached.status).toBe(304);
  });

  it('answers 400 for a malformed hash and 404 for an unknown one', async () => {
    const malformed = expectError(await getJson(app, '/api/artifacts/abc'), 400, 'sha256');
    expect(malformed.message).toMatch(/expected 64 hex digits/);
    expectError(await getJson(app, `/api/artifacts/${'A'.repeat(64)}`), 400, 'sha256');
    expectError(await getJson(app, `/api/artifacts/${'0'.repeat(64)}`), 404, 'sha256');
  });

  it('refuses to serve a tampered file: 500 with reason artifact_corrupted', async () => {
    const artifact = await meshArtifact();
    const quiet = testApp(database, testGraph(), artifacts, { logError: () => undefined });
    try {
      await writeFile(artifacts.pathOf(artifact.sha256), 'cells 9999\n');
      const error = expectError(await getJson(quiet, artifact.url), 500);
      expect(error.message).toMatch(/is corrupted/);
      expect(error.details).toMatchObject({
        reason: 'artifact_corrupted',
        expectedHash: artifact.sha256,
      });
    } finally {
      await writeFile(artifacts.pathOf(artifact.sha256), 'cells 2000\n');
      await quiet.close();
    }
  });

  it('streams a large artifact after verifying it, and refuses it once tampered', async () => {
    const bytes = Buffer.alloc(9 * 1024 * 1024, 7);
    const ref = await artifacts.put(bytes, { name: 'field.bin' });
    const sha256 = ref.artifact.slice('sha256:'.length);
    await database.db
      .insertInto('strata_internal.artifacts')
      .values({ sha256, size: ref.size, content_type: ref.contentType })
      .execute();
    const response = await app.request(`/api/artifacts/${sha256}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/octet-stream');
    const body = Buffer.from(await response.arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(sha256);

    const quiet = testApp(database, testGraph(), artifacts, { logError: () => undefined });
    try {
      const altered = Buffer.from(bytes);
      altered[123] = 8;
      await writeFile(artifacts.pathOf(sha256), altered);
      const error = expectError(await getJson(quiet, `/api/artifacts/${sha256}`), 500);
      expect(error.details).toMatchObject({ reason: 'artifact_corrupted' });
    } finally {
      await quiet.close();
    }
  });
});
