// The S3 artifact store against a real S3-compatible server process (s3rver, started by
// test/support/s3rver-process.ts): the ArtifactStore contract, the key layout, choosing it by
// configuration (STRATA_ARTIFACT_STORE, AWS_ENDPOINT_URL_S3, credentials from the SDK's default
// chain), and a stopped server as an unreachable endpoint.
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArtifactStoreError,
  openArtifactStore,
  parseS3Location,
} from '../../src/artifacts/index.js';
import { S3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { UsageError } from '../../src/errors.js';
import { sha256Hex } from '../../src/util/canonical-json.js';
import { startS3rver, type S3rverProcess } from '../support/s3rver-process.js';
import { runArtifactStoreContract } from './artifact-store-contract.js';

const BUCKET = 'strata-test';
/** s3rver's fixed credentials, given to the SDK's default chain through the environment. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

let dir: string;
let server: S3rverProcess;
let s3: S3Client;
let saved: Record<string, string | undefined>;
let stores = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'strata-s3-'));
  server = await startS3rver(path.join(dir, 'data'), BUCKET);
  saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
  s3 = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
  });
});

afterAll(async () => {
  s3?.destroy();
  await server?.stop();
  restore('AWS_ACCESS_KEY_ID', saved.id);
  restore('AWS_SECRET_ACCESS_KEY', saved.secret);
  await rm(dir, { recursive: true, force: true });
});

/** Puts back an environment variable as it was. */
function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** A store under a fresh prefix, configured as a user would: a URL and the SDK's variables. */
async function configuredStore(): Promise<S3ArtifactStore> {
  stores += 1;
  const store = await openArtifactStore({
    defaultDirectory: path.join(dir, 'unused'),
    cwd: dir,
    env: {
      STRATA_ARTIFACT_STORE: `s3://${BUCKET}/run-${process.pid}/store-${stores}`,
      AWS_ENDPOINT_URL_S3: server.endpoint,
    },
  });
  expect(store).toBeInstanceOf(S3ArtifactStore);
  return store as S3ArtifactStore;
}

runArtifactStoreContract('S3 (s3rver)', async () => {
  const store = await configuredStore();
  return {
    store,
    async corrupt(ref, bytes) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: store.keyOf(ref), Body: bytes }));
    },
    // s3rver answers an object's LastModified with the mtime of the file that holds it.
    backdate: (ref, storedAt) =>
      utimes(
        path.join(dir, 'data', BUCKET, `${store.keyOf(ref)}._S3rver_object`),
        storedAt,
        storedAt,
      ),
    async storedContentType(ref) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: store.keyOf(ref) }));
      return head.ContentType;
    },
    // Port 9 (discard) on loopback: nothing listens there, so connections are refused.
    unreachable: () =>
      Promise.resolve(
        new S3ArtifactStore({ bucket: BUCKET, endpoint: 'http://127.0.0.1:9', maxAttempts: 2 }),
      ),
    secrets: [CREDENTIALS.secretAccessKey],
    close: () => Promise.resolve(),
  };
});

describe('S3 layout and configuration', () => {
  it('stores content under <prefix>sha256/<2 hex>/<hex>', async () => {
    const store = await configuredStore();
    const ref = await store.put('x', { name: 'x.txt' });
    const hex = sha256Hex('x');
    expect(store.keyOf(ref)).toBe(`${store.prefix}sha256/${hex.slice(0, 2)}/${hex}`);
    expect(store.prefix).toMatch(/^run-\d+\/store-\d+\/$/);
    expect(store.location).toBe(`s3://${BUCKET}/${store.prefix.slice(0, -1)}`);
    const stat = await store.stat(ref);
    expect(stat?.location).toBe(`s3://${BUCKET}/${store.keyOf(ref)}`);
  });

  it('lists artifacts across ListObjectsV2 pages, skipping other keys under the prefix', async () => {
    const configured = await configuredStore();
    const store = new S3ArtifactStore({
      bucket: BUCKET,
      prefix: configured.prefix,
      endpoint: server.endpoint,
      listPageSize: 2,
    });
    const refs = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((content) => store.put(content, { name: `${content}.txt` })),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `${store.prefix}sha256/ab/not-an-artifact`,
        Body: 'x',
      }),
    );
    const listed: string[] = [];
    for await (const stored of store.list()) listed.push(stored.artifact);
    expect(listed.sort()).toEqual(refs.map((ref) => ref.artifact).sort());
  });

  it('reads the bucket and prefix of s3:// URLs and refuses bad ones', () => {
    expect(parseS3Location('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Location('s3://bucket/')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Location('s3://my.bucket/a/b/')).toEqual({ bucket: 'my.bucket', prefix: 'a/b/' });
    expect(() => parseS3Location('s3://Bad_Bucket/x')).toThrow(/invalid S3 bucket name/);
    expect(() => parseS3Location('s3://bucket/x?versionId=1')).toThrow(UsageError);
  });

  it('chooses a directory for a path and refuses other URL schemes', async () => {
    const base = { defaultDirectory: path.join(dir, 'default'), cwd: dir };
    expect((await openArtifactStore({ ...base, env: {} })).location).toBe(base.defaultDirectory);
    const relative = await openArtifactStore({ ...base, env: { STRATA_ARTIFACT_STORE: 'shared' } });
    expect(relative.location).toBe(path.join(dir, 'shared'));
    const option = await openArtifactStore({
      ...base,
      location: '/mnt/nfs/artifacts',
      env: { STRATA_ARTIFACT_STORE: 's3://ignored' },
    });
    expect(option.location).toBe('/mnt/nfs/artifacts');
    await expect(
      openArtifactStore({ ...base, env: { STRATA_ARTIFACT_STORE: 'gs://bucket/x' } }),
    ).rejects.toThrow(/unsupported artifact store "gs:\/\/bucket\/x"/);
  });

  it('names the bucket, key and code, retryable, when the endpoint refuses connections', async () => {
    const store = new S3ArtifactStore({
      bucket: BUCKET,
      prefix: 'p',
      endpoint: 'http://127.0.0.1:9',
      maxAttempts: 1,
    });
    const error = await store.put('x', { name: 'x.txt' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArtifactStoreError);
    const { message } = error as ArtifactStoreError;
    expect(message).toContain(`bucket ${BUCKET}, key p/sha256/`);
    expect(message).toContain('ECONNREFUSED');
    expect(error).toMatchObject({ fault: 'environment', retryable: true, operation: 'write' });
  });

  it('says a missing bucket will not fix itself', async () => {
    const store = new S3ArtifactStore({ bucket: 'no-such-bucket', endpoint: server.endpoint });
    const error = await store.put('x', { name: 'x.txt' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArtifactStoreError);
    expect((error as Error).message).toContain('bucket no-such-bucket');
    expect(error).toMatchObject({ fault: 'environment', retryable: false, code: 'NoSuchBucket' });
  });
});
