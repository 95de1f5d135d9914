// Choosing the artifact store by configuration, end to end: `strata materialize` writes the
// step's artifact to the directory of --artifact-store, or to S3 (a real s3rver process) named
// by STRATA_ARTIFACT_STORE with the endpoint in AWS_ENDPOINT_URL_S3 and the credentials in the
// SDK's default chain; the state directory's own store stays empty.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/util/canonical-json.js';
import { BIG_ARTIFACT_BYTES } from '../fixtures/cli/big-artifact.js';
import { useTestDatabase } from '../support/database.js';
import {
  startS3rver,
  useS3rverCredentials,
  type S3rverProcess,
} from '../support/s3rver-process.js';
import { REPO_ROOT, runCli } from './cli-harness.js';

const database = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/cli/big-artifact.ts');
const BUCKET = 'strata-cli';
const HEX = sha256Hex(Buffer.alloc(BIG_ARTIFACT_BYTES, 7));

let dir: string;
let server: S3rverProcess;
let restoreCredentials: (() => void) | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'strata-store-config-'));
  server = await startS3rver(path.join(dir, 's3'), BUCKET);
  restoreCredentials = useS3rverCredentials();
});

afterAll(async () => {
  await server?.stop();
  restoreCredentials?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('strata materialize with a configured artifact store', () => {
  it('writes to the directory of --artifact-store', async () => {
    const home = path.join(dir, 'home-dir');
    const store = path.join(dir, 'shared-store');
    const result = await runCli(
      ['materialize', 'big', '--definitions', FIXTURE, '--artifact-store', store],
      { databaseUrl: database.url, env: { STRATA_HOME: home } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(store, 'sha256', HEX.slice(0, 2), HEX))).toBe(true);
    expect(existsSync(path.join(home, 'artifacts', 'sha256', HEX.slice(0, 2), HEX))).toBe(false);
  });

  it('writes to S3 when STRATA_ARTIFACT_STORE is an s3:// URL', async () => {
    const home = path.join(dir, 'home-s3');
    const result = await runCli(['materialize', 'big', '--force', '--definitions', FIXTURE], {
      databaseUrl: database.url,
      env: {
        STRATA_HOME: home,
        STRATA_ARTIFACT_STORE: `s3://${BUCKET}/project`,
        AWS_ENDPOINT_URL_S3: server.endpoint,
      },
    });
    expect(result.code, result.stderr).toBe(0);
    const s3 = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
    });
    try {
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: BUCKET, Key: `project/sha256/${HEX.slice(0, 2)}/${HEX}` }),
      );
      expect(head.ContentLength).toBe(BIG_ARTIFACT_BYTES);
    } finally {
      s3.destroy();
    }
    expect(existsSync(path.join(home, 'artifacts', 'sha256', HEX.slice(0, 2), HEX))).toBe(false);
  });
});
