// The compiled-definitions cache: a TypeScript ES-module definitions file and the project files
// it imports are compiled once per content (compile-definitions.ts) into a directory of
// `.strata/cache/definitions/` of their package, and later commands import the compiled entry
// directly, without registering tsx (a third of a read-only command's start-up). A manifest per
// definitions file lists the files the last compile read; the compiled tree is used when the
// SHA-256 of their current contents names an existing one.
// Whatever cannot be cached exactly (compile-definitions.ts says what) loads through tsx as
// before; STRATA_DEFINITIONS_CACHE=0 turns the cache off.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMPILED_EXTENSION, compileDefinitions } from './compile-definitions.js';
import { nearestPackageJson } from './package-scope.js';

/** Environment variable that turns the cache off when set to 0. */
export const DEFINITIONS_CACHE_ENV = 'STRATA_DEFINITIONS_CACHE';
/** Where compiled definitions live, relative to their package's root. */
export const CACHE_DIRECTORY = path.join('.strata', 'cache', 'definitions');
/** Changes whenever what a compile produces changes (its options, the pinning of import.meta). */
const FORMAT = 'strata-definitions-2';
const CACHEABLE_EXTENSIONS = new Set(['.ts', '.mts']);

/** Where a definitions module was imported from. */
export type DefinitionsOrigin =
  | { readonly kind: 'cache'; readonly file: string }
  | { readonly kind: 'compiled'; readonly file: string }
  | { readonly kind: 'source'; readonly reason: string };

/** What the manifest of one definitions file records about its last compile. */
interface Manifest {
  readonly format: string;
  readonly entry: string;
  readonly inputs: readonly string[];
  readonly key: string;
}

let compilerVersion: string | undefined;

/**
 * What else decides the compiled text: Node's version (the transform targets it, as tsx's does)
 * and esbuild's (read from its package.json: importing it is what the cache saves).
 */
function compiler(): string {
  if (compilerVersion === undefined) {
    let esbuild = 'unknown';
    try {
      const manifest = createRequire(import.meta.url).resolve('esbuild/package.json');
      esbuild = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    } catch {
      // Not resolvable: compiling fails too, and the definitions load through tsx.
    }
    compilerVersion = `node ${process.versions.node}, esbuild ${esbuild}`;
  }
  return compilerVersion;
}

/** The cache's key for an entry and the contents of the files it bundles. */
function keyOf(entry: string, contents: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256').update(`${FORMAT}\0${compiler()}\0${entry}\0`);
  for (const file of [...contents.keys()].sort()) {
    hash.update(`${file}\0${contents.get(file)!}\0`);
  }
  return hash.digest('hex');
}

async function readManifest(file: string, entry: string): Promise<Manifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    return parsed.format === FORMAT && parsed.entry === entry && Array.isArray(parsed.inputs)
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/** The key for the files a manifest lists as they are now; undefined if one is gone. */
async function currentKey(manifest: Manifest): Promise<string | undefined> {
  const contents = new Map<string, string>();
  try {
    for (const input of manifest.inputs) contents.set(input, await readFile(input, 'utf8'));
  } catch {
    return undefined;
  }
  return keyOf(manifest.entry, contents);
}

/** Writes a file whole or not at all (a concurrent reader never sees half of it). */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/** Why `file` is not cached, or its package's root directory when it can be. */
function cacheableRoot(file: string, env: NodeJS.ProcessEnv): { root?: string; reason?: string } {
  if (env[DEFINITIONS_CACHE_ENV] === '0') return { reason: `${DEFINITIONS_CACHE_ENV}=0` };
  const extension = path.extname(file);
  if (!CACHEABLE_EXTENSIONS.has(extension)) return { reason: `${extension} is not cached` };
  const scope = nearestPackageJson(path.dirname(file));
  if (scope === undefined) return { reason: 'no package.json above the definitions' };
  if (scope.type !== 'module' && extension !== '.mts') {
    return { reason: `${scope.path} does not say "type": "module" (CommonJS is not cached)` };
  }
  return { root: path.dirname(scope.path) };
}

/**
 * The URL to import for the TypeScript definitions at `file`: its compiled copy, compiled now
 * if the cache has none for its current content, or the file itself (then tsx must be
 * registered) with the reason it is not cached. Never throws for the cache's own trouble.
 */
export async function compiledDefinitionsUrl(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ readonly url: string; readonly origin: DefinitionsOrigin }> {
  const source = (reason: string) => ({
    url: pathToFileURL(file).href,
    origin: { kind: 'source', reason } as const,
  });
  const { root, reason } = cacheableRoot(file, env);
  if (root === undefined) return source(reason!);
  const directory = path.join(root, CACHE_DIRECTORY);
  const entryId = createHash('sha256').update(file).digest('hex').slice(0, 16);
  const manifestFile = path.join(directory, `${entryId}.json`);
  const manifest = await readManifest(manifestFile, file);
  const compiledEntry = (key: string) =>
    path.join(directory, key, path.relative(root, file) + COMPILED_EXTENSION);
  if (manifest !== undefined) {
    const key = await currentKey(manifest);
    if (key === manifest.key && existsSync(compiledEntry(key))) {
      enableSourceMaps();
      const compiled = compiledEntry(key);
      return { url: pathToFileURL(compiled).href, origin: { kind: 'cache', file: compiled } };
    }
  }
  try {
    const { files, inputs } = await compileDefinitions(file, root, path.join(directory, FORMAT));
    const key = keyOf(file, inputs);
    await writeTree(path.join(directory, key), files);
    const next: Manifest = { format: FORMAT, entry: file, inputs: [...inputs.keys()].sort(), key };
    await writeAtomically(manifestFile, `${JSON.stringify(next, null, 2)}\n`);
    if (manifest !== undefined && manifest.key !== key) {
      await rm(path.join(directory, manifest.key), { recursive: true, force: true });
    }
    enableSourceMaps();
    const compiled = compiledEntry(key);
    return { url: pathToFileURL(compiled).href, origin: { kind: 'compiled', file: compiled } };
  } catch (error) {
    return source(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Writes the compiled files under `target` whole or not at all: into a directory of its own,
 * renamed into place (a concurrent compile of the same content may have put it there first).
 */
async function writeTree(target: string, files: ReadonlyMap<string, string>): Promise<void> {
  if (existsSync(target)) return;
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  for (const [relative, code] of files) {
    const file = path.join(temporary, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, code);
  }
  try {
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
}

/** Stack traces through a compiled module point at the TypeScript it came from. */
function enableSourceMaps(): void {
  process.setSourceMapsEnabled(true);
}
