// Imports a definitions module whatever module system it is written in: ES modules and CommonJS,
// TypeScript (compiled once per content and cached: definitions-cache.ts; otherwise through tsx,
// whose ESM and CommonJS hooks are both registered, so a .ts file in a package without
// "type": "module" loads too) or JavaScript. A failure that comes from the module
// system rather than the code says which file and which package.json to change.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DefinitionError, StrataError } from '../errors.js';
import { compiledDefinitionsUrl } from './definitions-cache.js';
import { nearestPackageJson } from './package-scope.js';

const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts'];

/** The namespace of the module at `file` (a CommonJS module's exports as its namespace). */
export async function importDefinitionsModule(file: string): Promise<Record<string, unknown>> {
  const extension = path.extname(file);
  let url = pathToFileURL(file).href;
  if (TYPESCRIPT_EXTENSIONS.includes(extension)) {
    const compiled = await compiledDefinitionsUrl(file);
    url = compiled.url;
    if (compiled.origin.kind === 'source') await registerTypeScript();
  }
  let module: Record<string, unknown>;
  try {
    // A .cts file is CommonJS whatever its package says: it goes through require, whose tsx hook
    // compiles it; import() of it would run it in the ESM loader's CommonJS shim, which fails.
    module =
      extension === '.cts'
        ? { default: createRequire(file)(file) as unknown }
        : ((await import(url)) as Record<string, unknown>);
  } catch (error) {
    if (error instanceof StrataError) throw error; // DefinitionError from asset()/defineAssets()
    const reason = error instanceof Error ? error.message : String(error);
    throw new DefinitionError(`could not load the definitions in ${file}: ${reason}`, {
      cause: error,
      hint:
        moduleSystemHint(file, reason) ??
        'fix the module (rerun with --verbose for the stack trace)',
    });
  }
  return unwrapCommonJs(module);
}

/**
 * TypeScript compiled to CommonJS (a .ts file in a package without "type": "module") exports
 * `{ __esModule: true, default, ... }`, which import() hands over as the default export.
 */
function unwrapCommonJs(module: Record<string, unknown>): Record<string, unknown> {
  const exports = module.default;
  if (typeof exports === 'object' && exports !== null && '__esModule' in exports) {
    return exports as Record<string, unknown>;
  }
  return module;
}

/** What to change when Node refused the module for its module system, or undefined. */
function moduleSystemHint(file: string, reason: string): string | undefined {
  const packageJson = nearestPackageJson(path.dirname(file));
  const where =
    packageJson === undefined
      ? 'no package.json above it says "type": "module"'
      : `${packageJson.path} ${packageJson.type === undefined ? 'has no "type"' : `says "type": "${packageJson.type}"`}`;
  const name = path.basename(file);
  if (/Cannot use import statement outside a module|Unexpected token 'export'/.test(reason)) {
    const fix =
      path.extname(file) === '.cjs'
        ? `rename it to ${replaceExtension(name, '.mjs')}`
        : packageJson === undefined
          ? `rename it to ${replaceExtension(name, '.mjs')} (or .ts)`
          : `add "type": "module" to ${packageJson.path}, or rename it to ${replaceExtension(name, '.mjs')} (or .ts)`;
    return `${name} uses import/export but Node runs it as CommonJS (${where}): ${fix}`;
  }
  if (
    /require is not defined in ES module scope|module is not defined in ES module scope/.test(
      reason,
    )
  ) {
    return `${name} uses require()/module.exports but Node runs it as an ES module (${where}): use import and export default, or rename it to ${replaceExtension(name, '.cjs')}`;
  }
  return undefined;
}

function replaceExtension(name: string, extension: string): string {
  return name.slice(0, name.length - path.extname(name).length) + extension;
}

let typeScriptRegistered: Promise<void> | undefined;

/** Lets Node import and require TypeScript (tsx's ESM and CommonJS hooks), once per process. */
function registerTypeScript(): Promise<void> {
  typeScriptRegistered ??= Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]).then(
    ([esm, cjs]) => {
      // tsconfig path mappings stay off: a mapping of 'strata' to its sources (as in strata's own
      // repository) would load a second copy of the core next to the one the CLI runs on.
      // The CommonJS hook has no such option (it reads the working directory's tsconfig); only
      // CommonJS TypeScript (.cts, .ts without "type": "module") goes through it.
      esm.register({ tsconfig: false });
      cjs.register();
    },
  );
  return typeScriptRegistered;
}
