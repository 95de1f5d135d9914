// Definitions in a user's own project load whatever its package.json says about the module type
// ("module", "commonjs" or nothing) and whatever the file's extension: each row is a real project
// in a temporary directory with strata and zod in its node_modules (links to this repository's),
// run by the built CLI as a separate process. Where Node cannot run a file as written, the error
// says which file and which package.json to change.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { linkStrata, strataIn } from './user-project.js';

const database = useTestDatabase();
const root = mkdtempSync(path.join(os.tmpdir(), 'strata-module-types-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type PackageType = 'module' | 'commonjs' | 'absent';
type Syntax = 'esm' | 'commonjs';

const ESM_SOURCE = (key: string) => `import { z } from 'zod';
import { asset, defineAssets } from 'strata';

const first = asset({ key: '${key}', codeVersion: '1', schema: z.number(), compute: () => 1 });
const second = asset({
  key: '${key}_twice',
  codeVersion: '1',
  deps: { first },
  schema: z.number(),
  compute: ({ inputs }) => inputs.first * 2,
});
export default defineAssets([first, second]);
`;

const COMMONJS_SOURCE = (key: string) => `const { z } = require('zod');
const { asset, defineAssets } = require('strata');

const first = asset({ key: '${key}', codeVersion: '1', schema: z.number(), compute: () => 1 });
module.exports = defineAssets([first]);
`;

let projects = 0;

/** A project with `assets/index<extension>` written in `syntax`; returns its directory. */
function project(type: PackageType, extension: string, syntax: Syntax, key: string): string {
  const dir = path.join(root, `project-${++projects}`);
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  linkStrata(dir);
  const manifest: Record<string, string> = { name: 'user-project', version: '1.0.0' };
  if (type !== 'absent') manifest.type = type;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const source = syntax === 'esm' ? ESM_SOURCE(key) : COMMONJS_SOURCE(key);
  writeFileSync(path.join(dir, `assets/index${extension}`), source);
  return dir;
}

interface Row {
  readonly type: PackageType;
  readonly extension: string;
  readonly syntax: Syntax;
  /** undefined: the definitions load; otherwise what the error's hint must say. */
  readonly refusal?: RegExp;
}

const ROWS: readonly Row[] = [
  ...(['module', 'commonjs', 'absent'] as const).flatMap((type) =>
    ['.ts', '.mts', '.cts', '.mjs'].map((extension): Row => ({ type, extension, syntax: 'esm' })),
  ),
  { type: 'module', extension: '.js', syntax: 'esm' },
  // Node detects the module syntax of a .js file whose package.json gives no type (and warns).
  { type: 'absent', extension: '.js', syntax: 'esm' },
  {
    type: 'commonjs',
    extension: '.js',
    syntax: 'esm',
    refusal:
      /index\.js uses import\/export but Node runs it as CommonJS \(.*package\.json says "type": "commonjs"\): add "type": "module" to .*package\.json, or rename it to index\.mjs \(or \.ts\)/,
  },
  { type: 'commonjs', extension: '.js', syntax: 'commonjs' },
  { type: 'absent', extension: '.js', syntax: 'commonjs' },
  { type: 'module', extension: '.cjs', syntax: 'commonjs' },
  {
    type: 'module',
    extension: '.js',
    syntax: 'commonjs',
    refusal:
      /index\.js uses require\(\)\/module\.exports but Node runs it as an ES module \(.*package\.json says "type": "module"\): use import and export default, or rename it to index\.cjs/,
  },
];

describe('definitions in a user project', () => {
  it.concurrent.each(ROWS.map((row, index) => ({ ...row, index })))(
    'package.json type $type, assets/index$extension in $syntax syntax',
    async ({ type, extension, syntax, refusal, index }) => {
      const key = `row${index}`;
      const dir = project(type, extension, syntax, key);
      const result = await strataIn(dir, database.url, [
        'plan',
        '--json',
        '--definitions',
        `assets/index${extension}`,
      ]);
      if (refusal !== undefined) {
        expect(result.code).toBe(1);
        const { error } = JSON.parse(result.stderr.slice(result.stderr.indexOf('{'))) as {
          error: { message: string; hint: string };
        };
        expect(error.message).toMatch(/^could not load the definitions in /);
        expect(error.hint).toMatch(refusal);
        return;
      }
      expect(result.stderr).not.toMatch(/error/);
      expect(result.code).toBe(0);
      const plan = JSON.parse(result.stdout) as { steps: { key: string }[] };
      expect(plan.steps.map((step) => step.key)).toEqual(
        syntax === 'esm' ? [key, `${key}_twice`] : [key],
      );
    },
  );

  it('materializes TypeScript definitions of a package without "type": "module"', async () => {
    const dir = project('commonjs', '.ts', 'esm', 'cjs_run');
    const result = await strataIn(dir, database.url, ['materialize', '--json']);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const status = await strataIn(dir, database.url, ['status', '--json']);
    const assets = (JSON.parse(status.stdout) as { assets: { key: string; status: string }[] })
      .assets;
    expect(assets.map((a) => [a.key, a.status])).toEqual([
      ['cjs_run', 'fresh'],
      ['cjs_run_twice', 'fresh'],
    ]);
  }, 60_000);
});
