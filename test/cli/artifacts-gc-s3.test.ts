// `strata artifacts gc` on an S3 store (a real s3rver process), configured as a user would
// (STRATA_ARTIFACT_STORE, AWS_ENDPOINT_URL_S3, credentials from the SDK's chain): the dry run
// names the orphan, --delete removes it alone, the materialized artifacts survive.
import { mkdtempSync, rmSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { useTestDatabase } from '../support/database.js';
import {
  startS3rver,
  useS3rverCredentials,
  type S3rverProcess,
} from '../support/s3rver-process.js';
import { storedIds } from '../support/stored-artifacts.js';
import { REPO_ROOT, runCli, type CliResult } from './cli-harness.js';

const database = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/cli/gc-assets.ts');
const BUCKET = 'strata-gc';
const PREFIX = 'study';
const DAY_MS = 24 * 60 * 60 * 1000;

let dir: string;
let server: S3rverProcess;
let store: S3ArtifactStore;
let restoreCredentials: (() => void) | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'strata-gc-s3-'));
  server = await startS3rver(path.join(dir, 's3'), BUCKET);
  restoreCredentials = useS3rverCredentials();
  store = new S3ArtifactStore({ bucket: BUCKET, prefix: PREFIX, endpoint: server.endpoint });
});

afterAll(async () => {
  await server?.stop();
  restoreCredentials?.();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs strata against the S3 store and the test's database. */
function strata(argv: readonly string[]): Promise<CliResult> {
  return runCli(argv, {
    databaseUrl: database.url,
    env: {
      STRATA_HOME: path.join(dir, 'home'),
      STRATA_ARTIFACT_STORE: `s3://${BUCKET}/${PREFIX}`,
      AWS_ENDPOINT_URL_S3: server.endpoint,
    },
  });
}

/** Sets an object's LastModified to `ageMs` ago (s3rver answers the mtime of its file). */
async function backdate(id: string, ageMs: number): Promise<void> {
  const at = new Date(Date.now() - ageMs);
  await utimes(path.join(dir, 's3', BUCKET, `${store.keyOf(id)}._S3rver_object`), at, at);
}

describe('strata artifacts gc on S3', () => {
  it('names and deletes only the orphan', async () => {
    const materialize = await strata(['materialize', '--definitions', FIXTURE]);
    expect(materialize.code, materialize.stderr).toBe(0);
    const materialized = await storedIds(store);
    expect(materialized).toHaveLength(2);
    for (const id of materialized) await backdate(id, 2 * DAY_MS);
    const orphan = await store.put('an orphan in the bucket', { name: 'orphan.txt' });
    await backdate(orphan.artifact, 2 * DAY_MS);

    const dry = await strata(['artifacts', 'gc', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout) as {
      store: string;
      garbage: { count: number };
      examples: { artifact: string }[];
    };
    expect(planned.store).toBe(`s3://${BUCKET}/${PREFIX}`);
    expect(planned.examples.map((example) => example.artifact)).toEqual([orphan.artifact]);
    expect(await storedIds(store)).toEqual([...materialized, orphan.artifact].sort());

    const deleted = await strata(['artifacts', 'gc', '--delete']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain('Deleted 1 artifact');
    expect(await storedIds(store)).toEqual(materialized);
  });
});
