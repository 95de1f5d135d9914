// Finds the user's asset definitions module, imports it (import-definitions.ts: TypeScript or
// JavaScript, ES module or CommonJS) and checks that it exports the result of defineAssets(). The
// module imports the public API as 'strata', which Node resolves through package.json "exports"
// to the same dist/ modules the CLI runs on.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Definitions } from '../definitions/index.js';
import { DefinitionError, UsageError } from '../errors.js';
import { importDefinitionsModule } from './import-definitions.js';
import type { CliIo } from './io.js';

/** Environment variable naming the definitions module when --definitions is not given. */
export const DEFINITIONS_ENV = 'STRATA_DEFINITIONS';
/** Where definitions are looked for by default, relative to the working directory. */
export const DEFAULT_DEFINITIONS = ['assets/index.ts', 'assets/index.js'] as const;

const HOW_TO_POINT = `point at your definitions with --definitions PATH (or ${DEFINITIONS_ENV}=PATH)`;

/** Where the definitions module is: given explicitly, found by default, or nowhere. */
export interface DefinitionsLocation {
  /** The absolute path, or undefined when nothing was given and no default file exists. */
  readonly path: string | undefined;
  /** True when the path came from --definitions or STRATA_DEFINITIONS. */
  readonly explicit: boolean;
}

/** Finds the definitions module: --definitions, then $STRATA_DEFINITIONS, then the defaults. */
export function locateDefinitions(io: CliIo, flag: string | undefined): DefinitionsLocation {
  const given = flag ?? nonEmpty(io.env[DEFINITIONS_ENV]);
  if (given !== undefined) return { path: path.resolve(io.cwd, given), explicit: true };
  const found = DEFAULT_DEFINITIONS.map((file) => path.join(io.cwd, file)).find((file) =>
    existsSync(file),
  );
  return { path: found, explicit: false };
}

/** Imports and validates the definitions module; user-facing errors explain what is wrong. */
export async function loadDefinitions(io: CliIo, flag: string | undefined): Promise<Definitions> {
  const location = locateDefinitions(io, flag);
  if (location.path === undefined) {
    throw new UsageError(
      `no asset definitions found: looked for ${DEFAULT_DEFINITIONS.join(' and ')} in ${io.cwd}`,
      {
        hint: `create assets/index.ts exporting defineAssets([...]) as default, or ${HOW_TO_POINT}`,
      },
    );
  }
  const file = location.path;
  if (!existsSync(file)) {
    const source = flag !== undefined ? '--definitions' : DEFINITIONS_ENV;
    throw new UsageError(`definitions file not found: ${file} (from ${source})`, {
      hint: `check the path, or ${HOW_TO_POINT}`,
    });
  }
  const module = await importDefinitionsModule(file);
  const exported = module.default ?? module.definitions;
  if (!isDefinitions(exported)) {
    throw new DefinitionError(
      `${file} must export the result of defineAssets([...]) as its default export or as \`definitions\`, but ${describeExport(module, exported)}`,
      { hint: 'export default defineAssets([assetA, assetB]);' },
    );
  }
  return exported;
}

function isDefinitions(value: unknown): value is Definitions {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate.assets instanceof Map &&
    candidate.dependencies instanceof Map &&
    candidate.pools instanceof Map
  );
}

function describeExport(module: Record<string, unknown>, exported: unknown): string {
  if (exported === undefined) {
    const names = Object.keys(module);
    return names.length === 0
      ? 'it exports nothing'
      : `it has no default export and no export named definitions (it exports ${names.join(', ')})`;
  }
  const via = module.default !== undefined ? 'its default export' : 'its export `definitions`';
  if (Array.isArray(exported)) return `${via} is an array: pass it to defineAssets()`;
  if (typeof exported === 'object' && exported !== null && 'kind' in exported) {
    if ((exported as { kind: unknown }).kind === 'asset') {
      return `${via} is a single asset(): wrap it as defineAssets([...])`;
    }
  }
  return `${via} is ${exported === null ? 'null' : `a ${typeof exported}`}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
