// The built CLI as a real process (`node bin/strata.js`, after `npm run build`): the TypeScript
// definitions module resolves 'strata' to dist/ through package.json "exports", exit statuses
// reach the shell, and user errors print no stack trace.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { FIXTURE_ASSETS, REPO_ROOT, type CliResult } from './cli-harness.js';

const database = useTestDatabase();
const BIN = path.join(REPO_ROOT, 'bin/strata.js');

beforeAll(() => {
  // `npm run build` is the documented step before these tests; build once if it was skipped.
  if (!existsSync(path.join(REPO_ROOT, 'dist/cli/main.js'))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'ignore' });
  }
});

function spawnCli(...argv: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, NO_COLOR: '1' };
  delete env.STRATA_DEFINITIONS;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...argv], { cwd: REPO_ROOT, env }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('node bin/strata.js', () => {
  it('prints status --json for TypeScript definitions importing strata', async () => {
    const result = await spawnCli('status', '--json', '--definitions', FIXTURE_ASSETS);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as { assets: { key: string; status: string }[] };
    expect(status.assets.map((a) => [a.key, a.status])).toEqual([
      ['geometry', 'missing'],
      ['sim/mesh', 'missing'],
      ['summary', 'missing'],
    ]);
  });

  it('exits 1 with a hint and no stack trace for an unknown asset', async () => {
    const result = await spawnCli('why', 'geometri', '--definitions', FIXTURE_ASSETS);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: unknown asset geometri\nhint: did you mean geometry?\n');
  });

  it('exits 2 for an unknown command', async () => {
    const result = await spawnCli('lineag');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('hint: did you mean lineage?');
  });
});
