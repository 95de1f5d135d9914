// Vitest global setup: starts ONE embedded PostgreSQL server for the whole test run in a
// temporary state directory (or uses DATABASE_URL's server) and hands its admin URL to the
// test files as inject('postgresUrl'); stops it and deletes the directory afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureEmbeddedServer, stopEmbeddedServer } from '../../src/store/embedded-postgres.js';
import { validateDatabaseUrl } from '../../src/store/database-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a database on the test server whose user may create databases. */
    postgresUrl: string;
  }
}

/** Starts (or selects) the server; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL;
  if (external !== undefined && external.trim() !== '') {
    project.provide('postgresUrl', validateDatabaseUrl(external.trim()));
    return async () => {};
  }
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'strata-test-pg-'));
  const { url } = await ensureEmbeddedServer(stateDir);
  project.provide('postgresUrl', url);
  return async () => {
    try {
      await stopEmbeddedServer(stateDir);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  };
}
