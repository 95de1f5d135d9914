// `strata init`: the files it writes, what it refuses to overwrite (and --force), how it adds
// strata to an existing package.json and .gitignore, and that the project it writes materializes
// on the first try (built CLI as a process, strata and zod linked into the project's node_modules).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT, runCli } from './cli-harness.js';
import { linkStrata, strataIn } from './user-project.js';

const database = useTestDatabase();
const root = mkdtempSync(path.join(os.tmpdir(), 'strata-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The parts of a package.json the tests read. */
interface Manifest {
  name: string;
  type?: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
}

let directories = 0;
function freshDirectory(): string {
  const dir = path.join(root, `case-${++directories}`);
  mkdirSync(dir);
  return dir;
}

function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}

describe('strata init', () => {
  it('writes package.json, tsconfig.json, assets/index.ts and .gitignore into a new directory', async () => {
    const cwd = freshDirectory();
    const result = await runCli(['init', 'My Project'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const dir = path.join(cwd, 'My Project');
    const manifest = JSON.parse(read(dir, 'package.json')) as Manifest;
    expect(manifest.name).toBe('my-project');
    expect(manifest.type).toBe('module');
    // From a checkout of strata (not installed in a node_modules): the path to it, for npm.
    expect(manifest.dependencies.strata).toBe(`file:${path.relative(dir, REPO_ROOT)}`);
    expect(manifest.dependencies.zod).toMatch(/^\^4\./);
    expect(manifest.scripts.materialize).toBe('strata materialize');
    const tsconfig = JSON.parse(read(dir, 'tsconfig.json')) as {
      compilerOptions: { strict: boolean };
    };
    expect(tsconfig.compilerOptions.strict).toBe(true);
    const assets = read(dir, 'assets/index.ts');
    expect(assets).toContain("key: 'readings'");
    expect(assets).toContain('deps: { readings }');
    expect(assets).toContain('export default defineAssets([readings, summary]);');
    expect(read(dir, '.gitignore').split('\n')).toContain('.strata/');
    expect(result.stdout).toContain(`strata project in ${dir}:`);
    expect(result.stdout).toMatch(/^ {2}created +assets\/index\.ts$/m);
    expect(result.stdout).toMatch(
      /Next:\n {2}cd "My Project"\n {2}npm install\n {2}npx strata materialize/,
    );
  });

  it('refuses to overwrite tsconfig.json and assets/index.ts, naming both, and writes nothing', async () => {
    const dir = freshDirectory();
    writeFileSync(path.join(dir, 'tsconfig.json'), '{"mine": true}\n');
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'assets/index.ts'), '// mine\n');
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: strata init would overwrite ${path.join(dir, 'tsconfig.json')} and ${path.join(dir, 'assets/index.ts')}: they exist\n` +
        'hint: move them away, or pass --force to overwrite them\n',
    );
    expect(existsSync(path.join(dir, 'package.json'))).toBe(false);
    expect(read(dir, 'assets/index.ts')).toBe('// mine\n');

    const forced = await runCli(['init', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^ {2}overwritten +tsconfig\.json$/m);
    expect(read(dir, 'assets/index.ts')).toContain('defineAssets([readings, summary])');
  });

  it('adds only what an existing package.json and .gitignore lack', async () => {
    const dir = freshDirectory();
    const existing = {
      name: 'existing',
      scripts: { status: 'echo mine' },
      dependencies: { strata: 'file:../strata-0.1.0.tgz', lodash: '^4.0.0' },
    };
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(existing));
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules');
    const result = await runCli(['init', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const manifest = JSON.parse(read(dir, 'package.json')) as Manifest;
    expect(manifest.name).toBe('existing');
    expect(manifest.type).toBe('module'); // as the template's tsconfig checks the TypeScript
    expect(manifest.scripts.status).toBe('echo mine');
    expect(manifest.scripts.materialize).toBe('strata materialize');
    expect(manifest.dependencies).toEqual({
      strata: 'file:../strata-0.1.0.tgz',
      lodash: '^4.0.0',
      zod: expect.stringMatching(/^\^4\./),
    });
    expect(read(dir, '.gitignore')).toBe('node_modules\n.strata/\n');
    const report = JSON.parse(result.stdout) as {
      files: { path: string; action: string; added?: string[] }[];
    };
    expect(report.files[0]!.added).toEqual([
      'scripts.materialize',
      'scripts.serve',
      'scripts.typecheck',
      'dependencies.zod',
      'devDependencies.@types/node',
      'devDependencies.typescript',
      'type',
    ]);
    expect(report.files.map((file) => [file.path, file.action])).toEqual([
      ['package.json', 'updated'],
      ['tsconfig.json', 'created'],
      ['assets/index.ts', 'created'],
      ['.gitignore', 'updated'],
    ]);
  });

  it('leaves the type of a package with JavaScript of its own as it is', async () => {
    const dir = freshDirectory();
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'old' }));
    mkdirSync(path.join(dir, 'lib'));
    writeFileSync(path.join(dir, 'lib', 'index.js'), 'module.exports = 1;\n');
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    expect((JSON.parse(read(dir, 'package.json')) as Manifest).type).toBeUndefined();
  });

  it('writes a project that materializes on the first try', async () => {
    const dir = freshDirectory();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    linkStrata(dir);
    const run = await strataIn(dir, database.url, ['materialize']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/run \d+ succeeded/);
    const status = JSON.parse((await strataIn(dir, database.url, ['status', '--json'])).stdout) as {
      assets: { key: string; status: string }[];
    };
    expect(status.assets.map((a) => [a.key, a.status])).toEqual([
      ['readings', 'fresh'],
      ['summary', 'fresh'],
    ]);
  }, 60_000);
});
