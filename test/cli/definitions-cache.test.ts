// The compiled-definitions cache: a TypeScript ES-module definitions file is compiled once per
// content of the files it bundles and imported from .strata/cache/definitions afterwards; what a
// compiled copy could not evaluate the same way loads from source (through tsx) instead.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotCompilable, pinImportMeta } from '../../src/cli/compile-definitions.js';
import { compiledDefinitionsUrl } from '../../src/cli/definitions-cache.js';
import { importDefinitionsModule } from '../../src/cli/import-definitions.js';

const FILE = '/project/assets/index.ts';

describe('pinImportMeta', () => {
  const cases: { source: string; pinned?: string; refused?: RegExp }[] = [
    {
      source: 'const u = import.meta.url;',
      pinned: 'const u = "file:///project/assets/index.ts";',
    },
    { source: 'f(import.meta.filename)', pinned: 'f("/project/assets/index.ts")' },
    { source: 'f(import.meta . dirname)', pinned: 'f("/project/assets")' },
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
    await write(
      'assets/index.ts',
      "import { where } from './where.js';\nexport const value: number = 1;\nexport { where };\n",
    );
  });

  afterEach(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('compiles once, then imports the cached module until a bundled file changes', async () => {
    const first = await compiledDefinitionsUrl(entry(), {});
    expect(first.origin.kind).toBe('compiled');
    const firstFile = first.origin.kind === 'compiled' ? first.origin.file : '';
    expect(firstFile.startsWith(path.join(project, '.strata', 'cache', 'definitions'))).toBe(true);
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
    expect(existsSync(firstFile)).toBe(false); // the stale copy is removed
    expect(((await import(edited.url)) as { where: string }).where).toBe('edited');
  });

  it('maps stack traces of a compiled module back to the TypeScript source', async () => {
    await write(
      'assets/index.ts',
      'export function fail(): never {\n  throw new Error("from the source");\n}\n',
    );
    const { url, origin } = await compiledDefinitionsUrl(entry(), {});
    expect(origin.kind).toBe('compiled');
    const { fail } = (await import(url)) as { fail: () => never };
    let stack = '';
    try {
      fail();
    } catch (error) {
      stack = (error as Error).stack ?? '';
    }
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
});
