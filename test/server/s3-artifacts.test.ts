// The engine and the API on an S3 artifact store (a real s3rver process): a run's steps write
// their artifacts to S3, the API downloads them (small ones verified in memory, large ones
// streamed after verifying), and an object overwritten behind strata's back is a 500 with reason
// artifact_corrupted, as with the local store.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import type { StrataApp } from '../../src/server/index.js';
import { ProvenanceResponse } from '../../src/server/schemas/materialization-schemas.js';
import { MaterializationPage } from '../../src/server/schemas/asset-schemas.js';
import { useTestDatabase } from '../support/database.js';
import { run } from '../support/engine.js';
import { startS3rver, type S3rverProcess } from '../support/s3rver-process.js';
import { bodyOf, expectError, getJson, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
const BUCKET = 'strata-server';
let dir: string;
let server: S3rverProcess;
let s3: S3Client;
let store: S3ArtifactStore;
let app: StrataApp;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'strata-s3-server-'));
  server = await startS3rver(path.join(dir, 'data'), BUCKET);
  s3 = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  store = new S3ArtifactStore({ bucket: BUCKET, prefix: 'study', s3 });
  const graph = testGraph();
  await run(database, graph, { artifacts: store, selection: 'geometry,sim/mesh,summary' });
  app = testApp(database, graph, store, { logError: () => undefined });
});

afterAll(async () => {
  await app?.close();
  s3?.destroy();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The artifact the fine mesh's step wrote. */
async function meshArtifact() {
  const page = bodyOf(
    await getJson(app, '/api/assets/sim%2Fmesh/materializations?partition=fine'),
    MaterializationPage,
  );
  const id = page.items[0]!.materializationId;
  return bodyOf(await getJson(app, `/api/materializations/${id}`), ProvenanceResponse)
    .artifacts[0]!;
}

describe('an S3 artifact store under the engine and the API', () => {
  it('stores the artifacts of a run in S3 and downloads them', async () => {
    const artifact = await meshArtifact();
    expect(await store.has(artifact.sha256)).toBe(true);
    const response = await app.request(artifact.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('cells 2000\n');
  });

  it('streams a large artifact after verifying it', async () => {
    const bytes = Buffer.alloc(9 * 1024 * 1024, 7);
    const ref = await store.put(bytes, { name: 'field.bin' });
    const sha256 = ref.artifact.slice('sha256:'.length);
    await database.db
      .insertInto('strata_internal.artifacts')
      .values({ sha256, size: ref.size, content_type: ref.contentType })
      .execute();
    const response = await app.request(`/api/artifacts/${sha256}`);
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(sha256);
  });

  it('refuses an object overwritten behind its back: 500 with reason artifact_corrupted', async () => {
    const artifact = await meshArtifact();
    const key = store.keyOf(artifact.sha256);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'cells 9999\n' }));
    try {
      const error = expectError(await getJson(app, artifact.url), 500);
      expect(error.details).toMatchObject({
        reason: 'artifact_corrupted',
        expectedHash: artifact.sha256,
      });
    } finally {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'cells 2000\n' }));
    }
  });
});
