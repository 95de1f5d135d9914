// The compiled-definitions cache: a TypeScript ES-module definitions file is compiled once per
// content of the files it bundles and imported from .strata/cache/definitions afterwards; what a
// compiled copy could not evaluate the same way loads from source (through tsx) instead.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotCompilable, pinImportMeta } from '../../src/cli/compile-definitions.js';
import { compiledDefinitionsUrl } from '../../src/cli/definitions-cache.js';
import { importDefinitionsModule } from '../../src/cli/import-definitions.js';
import { REPO_ROOT } from './cli-harness.js';

const FILE = '/project/assets/index.ts';
const run = promisify(execFile);

describe('pinImportMeta', () => {
  const cases: { source: string; pinned?: string; refused?: RegExp }[] = [
    { source: 'const u = import.meta.url;', pinned: 'const u = __strata_import_meta_url;' },
    { source: 'f(import.meta.filename)', pinned: 'f(__strata_import_meta_filename)' },
    { source: 'f(import.meta . dirname)', pinned: 'f(__strata_import_meta_dirname)' },
    { source: "import.meta.resolve('tsx')", pinned: "import.meta.resolve('tsx')" },
    { source: "await import('node:fs')", pinned: "await import('node:fs')" },
    { source: "await import('zod')", pinned: "await import('zod')" },
    { source: "import.meta.resolve('./tool.ts')", refused: /import\.meta\.resolve/ },
    { source: 'import.meta.resolve(name)', refused: /import\.meta\.resolve/ },
    { source: 'const meta = import.meta;', refused: /uses import\.meta/ },
    { source: "await import('./plugin.ts')", refused: /computed or relative import\(\)/ },
    { source: 'await import(`./${name}.ts`)', refused: /computed or relative import\(\)/ },
    { source: 'await import(name)', refused: /computed or relative import\(\)/ },
  ];
  it.each(cases)('$source', ({ source, pinned, refused }) => {
    if (refused !== undefined) {
      expect(() => pinImportMeta(FILE, source)).toThrow(NotCompilable);
      expect(() => pinImportMeta(FILE, source)).toThrow(refused);
    } else {
      expect(pinImportMeta(FILE, source)).toBe(pinned);
    }
  });
});

describe('compiledDefinitionsUrl', () => {
  let project: string;
  const entry = () => path.join(project, 'assets', 'index.ts');
  const write = async (relative: string, text: string) => {
    await mkdir(path.dirname(path.join(project, relative)), { recursive: true });
    await writeFile(path.join(project, relative), text);
  };

  beforeEach(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'strata-definitions-cache-'));
    await write('package.json', JSON.stringify({ name: 'demo', type: 'module' }));
    await write('assets/where.ts', 'export const where: string = import.meta.url;\n');
    await write('assets/settings.json', '{ "samples": 16 }\n');
    await write(
      'assets/index.ts',
      "import { where } from './where.js';\nimport settings from './settings.json' with { type: 'json' };\nexport const value: number = settings.samples / 16;\nexport { where };\n",
    );
  });

  afterEach(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('compiles once, then imports the cached module until a bundled file changes', async () => {
    const first = await compiledDefinitionsUrl(entry(), {});
    expect(first.origin.kind).toBe('compiled');
    const firstFile = first.origin.kind === 'compiled' ? first.origin.file : '';
    const cache = path.join(project, '.strata', 'cache', 'definitions');
    expect(path.relative(cache, firstFile)).toMatch(/^[0-9a-f]{64}\/assets\/index\.ts\.mjs$/);
    expect(existsSync(path.join(path.dirname(firstFile), 'where.ts.mjs'))).toBe(true);
    const module = (await import(first.url)) as { value: number; where: string };
    expect(module.value).toBe(1);
    // import.meta.url of a bundled file is that file's own, not the cache's.
    expect(module.where).toBe(pathToFileURL(path.join(project, 'assets', 'where.ts')).href);

    const again = await compiledDefinitionsUrl(entry(), {});
    expect(again).toEqual({ url: first.url, origin: { kind: 'cache', file: firstFile } });

    await write('assets/where.ts', 'export const where: string = "edited";\n');
    const edited = await compiledDefinitionsUrl(entry(), {});
    expect(edited.origin.kind).toBe('compiled');
    expect(edited.url).not.toBe(first.url);
    expect(existsSync(path.dirname(firstFile))).toBe(false); // the stale copy is removed
    expect(((await import(edited.url)) as { where: string }).where).toBe('edited');
  });

  it('maps stack traces of a compiled module back to the TypeScript source', async () => {
    await write(
      'assets/index.ts',
      'export function fail(): never {\n  throw new Error("from the source");\n}\n',
    );
    const { url, origin } = await compiledDefinitionsUrl(entry(), {});
    expect(origin.kind).toBe('compiled');
    // In a plain Node process (vitest would load the module through its own transform), with
    // source maps on as compiledDefinitionsUrl turns them on.
    const script = `process.setSourceMapsEnabled(true);
      import(${JSON.stringify(url)}).then((m) => { try { m.fail(); } catch (e) { console.log(e.stack); } });`;
    const { stdout: stack } = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(stack).toContain(`${path.join(project, 'assets', 'index.ts')}:2`);
  });

  const fallbacks: {
    name: string;
    arrange: () => Promise<void>;
    env?: NodeJS.ProcessEnv;
    reason: RegExp;
  }[] = [
    {
      name: 'a CommonJS package',
      arrange: () => write('package.json', JSON.stringify({ name: 'demo' })),
      reason: /does not say "type": "module"/,
    },
    {
      name: 'the cache turned off',
      arrange: async () => {},
      env: { STRATA_DEFINITIONS_CACHE: '0' },
      reason: /STRATA_DEFINITIONS_CACHE=0/,
    },
    {
      name: 'a file in a nested package',
      arrange: async () => {
        await write('assets/lib/package.json', JSON.stringify({ type: 'module' }));
        await write('assets/lib/one.ts', 'export const one = 1;\n');
        await write('assets/index.ts', "export { one } from './lib/one.js';\n");
      },
      reason: /lib\/package\.json, which resolves imports its own way/,
    },
    {
      name: 'a JavaScript file',
      arrange: async () => {
        await write('assets/plain.js', 'export const plain = 1;\n');
        await write('assets/index.ts', "export { plain } from './plain.js';\n");
      },
      reason: /plain\.js is not an ES module in TypeScript/,
    },
    {
      name: 'a relative dynamic import',
      arrange: () => write('assets/index.ts', "export const load = () => import('./where.js');\n"),
      reason: /computed or relative import\(\)/,
    },
    {
      name: 'a syntax error',
      arrange: () => write('assets/index.ts', 'export const = ;\n'),
      reason: /Expected identifier|Unexpected/,
    },
  ];
  it.each(fallbacks)('loads from source: $name', async ({ arrange, env, reason }) => {
    await arrange();
    const { url, origin } = await compiledDefinitionsUrl(entry(), env ?? {});
    expect(url).toBe(pathToFileURL(entry()).href);
    expect(origin.kind).toBe('source');
    expect(origin.kind === 'source' ? origin.reason : '').toMatch(reason);
    expect(existsSync(path.join(project, '.strata', 'cache', 'definitions'))).toBe(false);
  });

  it('imports through the cache and loads the same module again from it', async () => {
    const module = await importDefinitionsModule(entry());
    expect(module.value).toBe(1);
    const cached = await compiledDefinitionsUrl(entry(), {});
    expect(cached.origin.kind).toBe('cache');
  });

  it('gives every asset the same heuristic code version as loading through tsx', async () => {
    // The built CLI's loader in plain Node processes, the project linked to this checkout.
    await mkdir(path.join(project, 'node_modules'));
    await symlink(REPO_ROOT, path.join(project, 'node_modules', 'strata'));
    await symlink(
      path.join(REPO_ROOT, 'node_modules', 'zod'),
      path.join(project, 'node_modules', 'zod'),
    );
    await write(
      'assets/helpers.ts',
      'export const scale = 2;\nexport function double(x: number): number {\n  return x * scale;\n}\n',
    );
    await write(
      'assets/index.ts',
      `import { z } from 'zod';
import { asset, defineAssets, producedPartitions } from 'strata';
import * as helpers from './helpers.js';
import { double, scale } from './helpers.js';

const scale2 = 3; // a name the helpers' scale could collide with in a bundle
export const designs = asset({ key: 'designs', schema: z.array(z.string()), compute: () => ['d1', 'd2'] });
export const flat = asset({ key: 'flat', schema: z.number(), compute: () => double(scale) + scale2 });
export const spaced = asset({
  key: 'spaced',
  schema: z.number(),
  deps: { flat },
  compute: async ({ inputs }: { inputs: { flat: number } }) => {
    // a comment, and a namespace import
    const value: number = inputs.flat;
    return helpers.double(value);
  },
});
export const here = asset({ key: 'here', schema: z.string(), compute: () => \`\${import.meta.url} \${scale}\` });
export const per = asset({
  key: 'per',
  schema: z.number(),
  partitions: producedPartitions(designs, (keys: string[]) => keys.map((key) => key.trim())),
  compute: () => 1,
});
export default defineAssets([designs, flat, spaced, here, per]);
`,
    );
    const script = `const { importDefinitionsModule } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist/cli/import-definitions.js')).href)});
      const definitions = (await importDefinitionsModule(${JSON.stringify(entry())})).default;
      console.log(JSON.stringify([...definitions.assets].map(([key, a]) => [key, a.codeVersionSource, a.codeVersion])));`;
    const versions = async (env: NodeJS.ProcessEnv) => {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: project,
        env: { ...process.env, ...env },
      });
      return JSON.parse(stdout) as [string, string, string][];
    };
    const throughTsx = await versions({ STRATA_DEFINITIONS_CACHE: '0' });
    expect(throughTsx.map(([key, source]) => `${key} ${source}`).sort()).toEqual(
      ['designs', 'flat', 'here', 'per', 'spaced'].map((key) => `${key} heuristic`),
    );
    expect(await versions({})).toEqual(throughTsx); // compiled now
    expect((await compiledDefinitionsUrl(entry(), {})).origin.kind).toBe('cache');
    expect(await versions({})).toEqual(throughTsx); // from the cache
  });
});
