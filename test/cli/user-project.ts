// Helpers of the tests that run strata in a user's own project: strata and zod linked into a
// temporary project's node_modules (as `npm install` would place them), and the built CLI run
// there as a separate process against a test database.
import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type CliResult } from './cli-harness.js';

/** Links this repository as node_modules/strata of `dir`, and its zod as node_modules/zod. */
export function linkStrata(dir: string): void {
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO_ROOT, path.join(dir, 'node_modules/strata'), 'dir');
  symlinkSync(path.join(REPO_ROOT, 'node_modules/zod'), path.join(dir, 'node_modules/zod'), 'dir');
}

/** Runs `node bin/strata.js ARGV` in `cwd` on `databaseUrl`, without colors. */
export function strataIn(
  cwd: string,
  databaseUrl: string,
  argv: readonly string[],
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, NO_COLOR: '1' };
  delete env.STRATA_DEFINITIONS;
  const bin = path.join(REPO_ROOT, 'bin/strata.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...argv], { cwd, env }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}
