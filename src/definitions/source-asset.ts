// `sourceAsset()`: an external input (a CAD file exported from a PLM system, a materials table)
// that strata observes instead of computing. An observation returns the input's current value
// (validated by the schema) and may name its data version (e.g. the file's content hash); a new
// version makes dependants stale. Observed by the automation daemon, `strata observe`, and
// before `strata materialize` plans.
import { z } from 'zod';
import { DefinitionError } from '../errors.js';
import { assetKey, type AssetKey, type PartitionKey } from './asset-key.js';
import {
  normalizeAssetOptions,
  type ArtifactAccess,
  type AssetContext,
  type AssetDefinition,
  type AssetLogger,
  type AssetOptions,
  type MetadataValue,
} from './asset.js';
import { parseDuration, type Duration } from './duration.js';

/** The code version every observation records. */
export const OBSERVED_CODE_VERSION = 'observed';

/** What an observe function receives. */
export interface ObserveContext {
  readonly assetKey: AssetKey;
  /** The partition being observed, or undefined for an unpartitioned source. */
  readonly partitionKey: PartitionKey | undefined;
  /** Aborted when the observation times out or is cancelled. */
  readonly signal: AbortSignal;
  readonly log: AssetLogger;
  readonly artifacts: ArtifactAccess;
  /** Attaches metadata to the observation (recorded when it finds a new version). */
  metadata(values: Readonly<Record<string, MetadataValue>>): void;
  /** Names the data version (default: sha256 of the canonical JSON of the value). */
  setDataVersion(version: string): void;
}

/** The user's declaration of a source asset. */
export interface SourceAssetSpec<S extends z.ZodType> extends Omit<
  AssetOptions,
  'codeVersion' | 'automation' | 'retry' | 'pool'
> {
  readonly key: string;
  /** The value's schema: what dependants receive in ctx.inputs. */
  readonly schema: S;
  readonly observe: (ctx: ObserveContext) => Promise<z.input<S>> | z.input<S>;
  /** Observe at most this often, e.g. '5m' (default: at every tick of the automation daemon). */
  readonly observeEvery?: Duration;
}

/**
 * Declares a source asset: an input strata observes instead of computing (a file exported from
 * another system, a table). Each observation returns its current value; a new data version
 * makes what depends on it stale. Depend on it like on any asset.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { asset, sourceAsset } from 'strata';
 * import { z } from 'zod';
 *
 * const materials = sourceAsset({
 *   key: 'material_properties',
 *   schema: z.record(z.string(), z.object({ youngsModulusGPa: z.number() })),
 *   observeEvery: '5m', // the automation daemon looks at most this often
 *   observe: async () => JSON.parse(await readFile('materials.json', 'utf8')),
 * });
 *
 * // A new version of the file makes `stiffness` stale.
 * export const stiffness = asset({
 *   key: 'stiffness',
 *   deps: { materials },
 *   schema: z.number(),
 *   compute: ({ inputs }) => inputs.materials['steel']?.youngsModulusGPa ?? 0,
 * });
 * ```
 */
export function sourceAsset<S extends z.ZodType>(spec: SourceAssetSpec<S>): AssetDefinition<S> {
  const key = assetKey(spec.key);
  const where = `source asset ${key}`;
  if (!(spec.schema instanceof z.ZodType))
    throw new DefinitionError(`${where}: schema must be a zod schema`);
  if (typeof spec.observe !== 'function')
    throw new DefinitionError(`${where}: observe must be a function`);
  for (const field of [
    'compute',
    'deps',
    'automation',
    'codeVersion',
    'retry',
    'pool',
    'executor',
  ]) {
    if (field in spec)
      throw new DefinitionError(`${where}: ${field} is not an option of a source asset`, {
        hint:
          field === 'compute' || field === 'deps'
            ? 'a source asset is observed (observe), not computed; declare an asset() to compute'
            : 'source assets are observed on their observeEvery schedule and by strata observe',
      });
  }
  if (spec.partitions?.kind === 'produced')
    throw new DefinitionError(
      `${where}: partitions cannot be produced by another asset; use static or dynamic partitions`,
    );
  const everyMs =
    spec.observeEvery === undefined
      ? undefined
      : parseDuration(spec.observeEvery, `${where}: observeEvery`);
  const options = normalizeAssetOptions(key, spec);
  return {
    kind: 'asset',
    key,
    schema: spec.schema,
    dependencies: [],
    dependencyAssets: [],
    // The observe context is a subset of the compute context, so observations run through the
    // same schema validation, timeout and metadata handling as computations.
    compute: spec.observe as (ctx: AssetContext<never>) => unknown,
    ...options,
    executor: undefined,
    observation: { everyMs },
    // Observations are compared by data version, never by code version: editing the observe
    // function changes nothing downstream unless what it observes changes.
    codeVersion: OBSERVED_CODE_VERSION,
    codeVersionSource: 'declared',
  };
}
