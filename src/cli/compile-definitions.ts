// Compiles a TypeScript definitions module and the project files it imports into one ES module
// (esbuild; packages stay imports, resolved at run time as from the source), for the compiled-
// definitions cache (definitions-cache.ts). Refuses, with the reason, what the compiled module
// could not reproduce exactly: a relative or computed import() or import.meta.resolve, files in
// another package scope or under node_modules, CommonJS. `import.meta.url`, `.filename` and
// `.dirname` of each file become its own source path, so files read next to a module still are.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

/** A compiled module: its code, and each bundled source file with the content compiled. */
export interface CompiledDefinitions {
  readonly code: string;
  readonly inputs: ReadonlyMap<string, string>;
}

/** Why a module cannot be compiled for the cache (it then loads through tsx, as before). */
export class NotCompilable extends Error {}

const SOURCE_FILTER = /\.(?:[mc]?[jt]s|[jt]sx)$/;
const IMPORT_META = /\bimport\.meta\b(?:\s*\.\s*([A-Za-z_$][\w$]*))?/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(?:(['"])([^'"\n]*)\1)?/g;
const RESOLVE_CALL = /^\s*\(\s*(['"])([^'"\n]*)\1\s*\)/;

/**
 * A specifier that resolves the same from the compiled module as from the source: anything but
 * a relative path (the compiled module lives in the same package scope, so packages, #imports,
 * node: builtins, absolute paths and URLs do).
 */
function resolvesAnywhere(specifier: string): boolean {
  return !/^\.\.?(?:\/|$)/.test(specifier);
}

/**
 * The source of `file` with each `import.meta` property replaced by its value for that file;
 * throws NotCompilable for what a module at another path would not evaluate the same.
 */
export function pinImportMeta(file: string, source: string): string {
  for (const match of source.matchAll(DYNAMIC_IMPORT)) {
    const specifier = match[2];
    if (specifier === undefined || !resolvesAnywhere(specifier)) {
      throw new NotCompilable(`${file} imports a module by a computed or relative import()`);
    }
  }
  const values: Record<string, string> = {
    url: pathToFileURL(file).href,
    filename: file,
    dirname: path.dirname(file),
  };
  return source.replace(IMPORT_META, (whole, property: string | undefined, offset: number) => {
    if (property !== undefined && property in values) return JSON.stringify(values[property]);
    const call = RESOLVE_CALL.exec(source.slice(offset + whole.length));
    if (property === 'resolve' && call !== null && resolvesAnywhere(call[2]!)) return whole;
    throw new NotCompilable(`${file} uses ${whole} in a way a compiled copy would change`);
  });
}

/** The loader esbuild needs for a source file. */
function loaderOf(file: string): 'ts' | 'tsx' | 'js' | 'jsx' {
  const extension = path.extname(file);
  if (extension === '.tsx' || extension === '.jsx') return extension === '.tsx' ? 'tsx' : 'jsx';
  return extension.includes('t') ? 'ts' : 'js';
}

/**
 * A package.json or node_modules between `directory` and the project root (exclusive), which
 * would make imports from files there resolve differently than from the compiled module.
 */
function nestedScope(root: string, directory: string): string | undefined {
  for (let current = directory; current !== root; current = path.dirname(current)) {
    for (const name of ['package.json', 'node_modules']) {
      if (existsSync(path.join(current, name))) return path.join(current, name);
    }
    if (path.dirname(current) === current) return current;
  }
  return undefined;
}

/** Reads every bundled source file, pinning import.meta and refusing what cannot be compiled. */
function pinningPlugin(root: string, inputs: Map<string, string>): Plugin {
  return {
    name: 'strata-pin-import-meta',
    setup(build) {
      build.onLoad({ filter: SOURCE_FILTER }, async (args) => {
        const file = args.path;
        const relative = path.relative(root, file);
        if (relative.startsWith('..') || path.isAbsolute(relative)) {
          throw new NotCompilable(`${file} is outside the project ${root}`);
        }
        if (relative.split(path.sep).includes('node_modules')) {
          throw new NotCompilable(`${file} is inside node_modules`);
        }
        if (/\.c[jt]s$/.test(file)) throw new NotCompilable(`${file} is CommonJS`);
        const nested = nestedScope(root, path.dirname(file));
        if (nested !== undefined) {
          throw new NotCompilable(`${file} is under ${nested}, which resolves imports its own way`);
        }
        const source = await readFile(file, 'utf8');
        inputs.set(file, source);
        return { contents: pinImportMeta(file, source), loader: loaderOf(file) };
      });
    },
  };
}

/**
 * Bundles `entry` and the project files under `root` it imports into one ES module. Throws
 * NotCompilable (or esbuild's error for code that does not compile) when the result would not
 * be the same module.
 */
export async function compileDefinitions(
  entry: string,
  root: string,
  outfile: string,
): Promise<CompiledDefinitions> {
  const { build } = await import('esbuild');
  const inputs = new Map<string, string>();
  let result;
  try {
    result = await build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      // Where the module is written: the source map's paths are relative to it.
      outfile,
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      // As tsx is registered (import-definitions.ts): no tsconfig, so no path mapping inlines a
      // second copy of a package the CLI itself runs on.
      tsconfigRaw: {},
      plugins: [pinningPlugin(root, inputs)],
    });
  } catch (error) {
    const refusal = (error as { errors?: { detail?: unknown }[] }).errors?.find(
      (message) => message.detail instanceof NotCompilable,
    );
    throw refusal?.detail instanceof NotCompilable ? refusal.detail : error;
  }
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new NotCompilable(`esbuild wrote no output for ${entry}`);
  return { code, inputs };
}
