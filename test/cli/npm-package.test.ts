// strata as a user gets it: `npm pack` of this repository (after `npm run build`), the tarball
// installed with `npm install` into an empty directory (dependencies from the npm registry; npm
// here runs no install scripts unless allowed, and strata needs none: it recreates the embedded
// PostgreSQL's library symlinks itself), then `npx strata init` and `npx strata materialize` there
// on the embedded server. Also checks that the package ships only what it needs.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type CliResult } from './cli-harness.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'strata-npm-package-'));
// As root, the embedded server runs as the `postgres` OS user, who must reach the binaries in the
// project's node_modules: mkdtemp's directory is private (0700), a user's project is not.
chmodSync(root, 0o755);
const project = path.join(root, 'project');
/** npm install from the registry may be slow; the whole test takes about a minute. */
const TIMEOUT_MS = 600_000;

/** The environment of a user's shell: no test database, no settings of strata's own. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) {
    const strataSetting = name.startsWith('STRATA_') || name === 'DATABASE_URL';
    // What `npm test` sets about strata's own package for its scripts.
    const npmScript = name.startsWith('npm_package_') || name.startsWith('npm_lifecycle_');
    if (strataSetting || npmScript) delete env[name];
  }
  return env;
}

function run(command: string, args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: userEnv(), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a command and fails the test with its output when it fails. */
async function succeed(command: string, args: readonly string[], cwd: string): Promise<CliResult> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/** `npx --no strata ...`: the project's own strata, never one fetched from the registry. */
function strata(...args: string[]): Promise<CliResult> {
  return run('npx', ['--no', 'strata', ...args], project);
}

beforeAll(() => {
  if (!existsSync(path.join(REPO_ROOT, 'dist/cli/main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before this test (npm test does)');
  }
  mkdirSync(project);
});

afterAll(async () => {
  if (existsSync(path.join(project, '.strata'))) await strata('db', 'stop');
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('the npm package', () => {
  it(
    'installs into an empty directory, where strata init && strata materialize succeed',
    async () => {
      // --ignore-scripts: dist/ is built already; `prepare` would rebuild it under the other
      // tests that run the CLI from it.
      const packed = await succeed(
        'npm',
        ['pack', '--ignore-scripts', '--json', '--pack-destination', root],
        REPO_ROOT,
      );
      const [tarball] = JSON.parse(packed.stdout) as {
        filename: string;
        files: { path: string }[];
      }[];
      const shipped = tarball!.files.map((file) => file.path);
      const unexpected = shipped.filter(
        (file) =>
          !/^(dist|migrations|bin|docs\/openlineage)\//.test(file) &&
          !['package.json', 'README.md', 'LICENSE'].includes(file),
      );
      expect(unexpected).toEqual([]);
      expect(
        shipped.filter((file) => file.endsWith('.map') || file.includes('tsbuildinfo')),
      ).toEqual([]);
      for (const needed of [
        'bin/strata.js',
        'dist/cli/main.js',
        'dist/index.d.ts',
        'dist/lineage/index.html',
        'dist/vendor/kysely.js',
        'migrations/0001_core.sql',
        // The schema of strata's custom OpenLineage facets, at the URL their _schemaURL names.
        'docs/openlineage/strata-facets-1.json',
        'LICENSE',
      ]) {
        expect(shipped).toContain(needed);
      }

      await succeed(
        'npm',
        ['install', '--no-audit', '--no-fund', path.join(root, tarball!.filename)],
        project,
      );

      const init = await strata('init');
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      expect(init.stdout).toContain('created     assets/index.ts');

      const materialized = await strata('materialize');
      expect(materialized.code, materialized.stderr).toBe(0);
      expect(materialized.stdout).toMatch(/^run \d+ succeeded/m);
      expect(existsSync(path.join(project, '.strata/pg'))).toBe(true); // the embedded server

      const status = await strata('status', '--json');
      expect(status.code, status.stderr).toBe(0);
      const assets = (JSON.parse(status.stdout) as { assets: { key: string; status: string }[] })
        .assets;
      expect(assets.map((a) => [a.key, a.status])).toEqual([
        ['readings', 'fresh'],
        ['summary', 'fresh'],
      ]);
      // The new package.json became an ES-module package, whose definitions are compiled once
      // and loaded from the cache afterwards.
      const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as {
        type?: string;
      };
      expect(manifest.type).toBe('module');
      expect(existsSync(path.join(project, '.strata/cache/definitions'))).toBe(true);
      // The strata that ran is the installed copy, not this repository.
      expect(existsSync(path.join(project, 'node_modules/strata/src'))).toBe(false);
      // Installed, it scaffolds new projects depending on its own version.
      expect((await strata('init', 'another')).code).toBe(0);
      const another = JSON.parse(
        readFileSync(path.join(project, 'another/package.json'), 'utf8'),
      ) as { dependencies: Record<string, string> };
      const { version } = JSON.parse(
        readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
      ) as {
        version: string;
      };
      expect(another.dependencies.strata).toBe(`^${version}`);
    },
    TIMEOUT_MS,
  );
});
