// Compiles a TypeScript definitions module and the project files it imports, file by file, with
// the transform tsx applies (so every function's source text, which heuristic code versions hash,
// is the same as through tsx), into a mirror tree for the compiled-definitions cache
// (definitions-cache.ts). Relative imports are pointed at the mirrored files; packages stay
// imports, resolved from the mirror as from the source (it lives in the same package scope).
// `import.meta.url`, `.filename` and `.dirname` become stand-ins holding the source file's values
// (definitions/function-source.ts reads them back). Refuses, with the reason, what a compiled copy
// could not reproduce exactly: a relative or computed import() or import.meta.resolve, JavaScript
// or CommonJS files, files in another package scope or under node_modules.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile, Plugin } from 'esbuild';
import { importMetaStandIn } from '../definitions/function-source.js';

/** The mirror: each compiled file's code by its path relative to the project root. */
export interface CompiledDefinitions {
  readonly files: ReadonlyMap<string, string>;
  /** The bundled source files (absolute paths) with the content compiled. */
  readonly inputs: ReadonlyMap<string, string>;
}

/** Why a module cannot be compiled for the cache (it then loads through tsx, as before). */
export class NotCompilable extends Error {}

/** The extension of a compiled file: `assets/index.ts` -> `assets/index.ts.mjs`. */
export const COMPILED_EXTENSION = '.mjs';

const TYPESCRIPT = /\.m?ts$/;
const IMPORT_META = /\bimport\.meta\b(?:\s*\.\s*([A-Za-z_$][\w$]*))?/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(?:(['"])([^'"\n]*)\1)?/g;
const RESOLVE_CALL = /^\s*\(\s*(['"])([^'"\n]*)\1\s*\)/;
const PINNED = ['url', 'filename', 'dirname'] as const;

/**
 * A specifier that resolves the same from the compiled module as from the source: anything but
 * a relative path (the compiled module lives in the same package scope, so packages, #imports,
 * node: builtins, absolute paths and URLs do).
 */
function resolvesAnywhere(specifier: string): boolean {
  return !/^\.\.?(?:\/|$)/.test(specifier);
}

/**
 * The source of `file` with `import.meta.url`, `.filename` and `.dirname` replaced by their
 * stand-ins; throws NotCompilable for what a module at another path would not evaluate the same.
 */
export function pinImportMeta(file: string, source: string): string {
  for (const match of source.matchAll(DYNAMIC_IMPORT)) {
    const specifier = match[2];
    if (specifier === undefined || !resolvesAnywhere(specifier)) {
      throw new NotCompilable(`${file} imports a module by a computed or relative import()`);
    }
  }
  return source.replace(IMPORT_META, (whole, property: string | undefined, offset: number) => {
    const pinned = PINNED.find((name) => name === property);
    if (pinned !== undefined) return importMetaStandIn(pinned);
    const call = RESOLVE_CALL.exec(source.slice(offset + whole.length));
    if (property === 'resolve' && call !== null && resolvesAnywhere(call[2]!)) return whole;
    throw new NotCompilable(`${file} uses ${whole} in a way a compiled copy would change`);
  });
}

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * `code` with its inline source map moved one line down, below the stand-ins' line, and naming
 * the source file as `source` (relative to the compiled file: where stack traces resolve it).
 */
function relocateSourceMap(code: string, source: string): string {
  return code.replace(INLINE_MAP, (_, encoded: string) => {
    const map = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as {
      mappings: string;
      sources: string[];
    };
    map.mappings = `;${map.mappings}`;
    map.sources = [source];
    const shifted = Buffer.from(JSON.stringify(map)).toString('base64');
    return `//# sourceMappingURL=data:application/json;base64,${shifted}`;
  });
}

/** The declarations of the stand-ins for `file`, on a line of their own above its code. */
function standInPrologue(file: string): string {
  const values = { url: pathToFileURL(file).href, filename: file, dirname: path.dirname(file) };
  return `const ${PINNED.map((name) => `${importMetaStandIn(name)}=${JSON.stringify(values[name])}`).join(',')};`;
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

/** Checks each project file esbuild reaches and keeps its content. */
function checkingPlugin(root: string, inputs: Map<string, string>): Plugin {
  return {
    name: 'strata-definitions-check',
    setup(build) {
      build.onLoad({ filter: /.*/ }, async (args) => {
        const file = args.path;
        const relative = path.relative(root, file);
        if (relative.startsWith('..') || path.isAbsolute(relative)) {
          throw new NotCompilable(`${file} is outside the project ${root}`);
        }
        if (relative.split(path.sep).includes('node_modules')) {
          throw new NotCompilable(`${file} is inside node_modules`);
        }
        if (!TYPESCRIPT.test(file) && path.extname(file) !== '.json') {
          throw new NotCompilable(`${file} is not an ES module in TypeScript (.ts, .mts)`);
        }
        const nested = nestedScope(root, path.dirname(file));
        if (nested !== undefined) {
          throw new NotCompilable(`${file} is under ${nested}, which resolves imports its own way`);
        }
        const source = await readFile(file, 'utf8');
        inputs.set(file, source);
        if (TYPESCRIPT.test(file)) pinImportMeta(file, source);
        return { contents: source, loader: TYPESCRIPT.test(file) ? 'ts' : 'json' };
      });
    },
  };
}

/** The project files `entry` imports, with what each import resolved to (a bundling dry run). */
async function importGraph(
  entry: string,
  root: string,
): Promise<{ metafile: Metafile; inputs: Map<string, string> }> {
  const { build } = await import('esbuild');
  const inputs = new Map<string, string>();
  try {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      write: false,
      metafile: true,
      logLevel: 'silent',
      // As tsx is registered (import-definitions.ts): no tsconfig, so no path mapping.
      tsconfigRaw: {},
      plugins: [checkingPlugin(root, inputs)],
    });
    return { metafile: result.metafile, inputs };
  } catch (error) {
    const refusal = (error as { errors?: { detail?: unknown }[] }).errors?.find(
      (message) => message.detail instanceof NotCompilable,
    );
    throw refusal?.detail instanceof NotCompilable ? refusal.detail : error;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A relative specifier from one file to another, as an import writes it. */
function relativeSpecifier(from: string, to: string): string {
  const relative = path.relative(path.dirname(from), to).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/**
 * Compiles `entry` and the project files under `root` it imports, to be written under
 * `outputDirectory` (or a directory beside it: only its depth matters); the files' paths are
 * relative to it. Throws NotCompilable (or
 * esbuild's error for code that does not compile) when the result would not be the same module.
 */
export async function compileDefinitions(
  entry: string,
  root: string,
  outputDirectory: string,
): Promise<CompiledDefinitions> {
  const { transform } = await import('esbuild');
  const { metafile, inputs } = await importGraph(entry, root);
  const files = new Map<string, string>();
  // Where a file is imported from once compiled: its compiled copy, or itself (JSON).
  const compiledPath = (file: string) =>
    TYPESCRIPT.test(file)
      ? path.join(outputDirectory, path.relative(root, file) + COMPILED_EXTENSION)
      : file;
  for (const [input, details] of Object.entries(metafile.inputs)) {
    const file = path.resolve(root, input);
    if (!TYPESCRIPT.test(file)) continue; // JSON is imported from where it is
    const source = inputs.get(file)!;
    if (source.startsWith('#!')) throw new NotCompilable(`${file} starts with #!`);
    // tsx's transform (tsx/dist, "minifyWhitespace:!0,keepNames:!0"): the same function text.
    const output = await transform(pinImportMeta(file, source), {
      loader: 'ts',
      format: 'esm',
      target: `node${process.versions.node}`,
      minifyWhitespace: true,
      keepNames: true,
      sourcemap: 'inline',
      sourcesContent: false,
    });
    let code = output.code;
    for (const imported of details.imports) {
      if (imported.external || imported.original === undefined) continue;
      const target = compiledPath(path.resolve(root, imported.path));
      const specifier = relativeSpecifier(compiledPath(file), target);
      const written = new RegExp(
        `(\\bfrom\\s*|\\bimport\\s*)"${escapeRegExp(imported.original)}"`,
        'g',
      );
      code = code.replace(
        written,
        (_, keyword: string) => `${keyword}${JSON.stringify(specifier)}`,
      );
    }
    const compiled = compiledPath(file);
    const sourcePath = path.relative(path.dirname(compiled), file);
    files.set(
      path.relative(outputDirectory, compiled),
      `${standInPrologue(file)}\n${relocateSourceMap(code, sourcePath)}`,
    );
  }
  return { files, inputs };
}
