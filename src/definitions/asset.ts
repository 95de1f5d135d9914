// `asset()`: the declaration of a software-defined asset. Dependencies are other asset
// definitions, so a compute function's `ctx.inputs` is typed from their output schemas.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { DefinitionError } from '../errors.js';
import {
  normalizeAutomationPolicy,
  type AutomationPolicy,
  type AutomationPolicyInput,
} from './automation-policy.js';
import { assetKey, type AssetKey, type PartitionKey } from './asset-key.js';
import type { ArtifactRef } from './artifact-ref.js';
import { parseDuration, type Duration } from './duration.js';
import {
  normalizeFreshnessPolicy,
  type FreshnessPolicy,
  type FreshnessPolicyInput,
} from './freshness-policy.js';
import { describePartitions, type PartitionsDefinition } from './partitions.js';
import {
  windowMappingSpecOf,
  type DimensionsDependency,
  type TimeWindowOffsetDependency,
  type TimeWindowsWithinDependency,
  type WindowMappingSpec,
} from './partition-mappings.js';
import { normalizeRetryPolicy, type RetryPolicy, type RetryPolicyInput } from './retry-policy.js';
import {
  normalizeExecutor,
  type ExecutorDefinition,
  type SlurmExecutorDeclaration,
} from './slurm.js';
import type { ToolAccess } from './tool-server.js';
import { functionSource } from './function-source.js';

/**
 * How a dependant's partition reads its dependency's partitions: `identity` the same key,
 * `single` the only value of an unpartitioned dependency, `all` every partition, `producer` the
 * partition of a partitioned producer that produced the dependant's key (the first in the
 * producer's order when several did), `produced` the partitions of the dependency that the
 * producer's partition with the dependant's key produced; `window` one partition and `windows` a
 * fan-in of time-window or multi-dimensional sets, chosen per dimension (partition-mappings.ts).
 */
export type PartitionMapping =
  'identity' | 'single' | 'all' | 'producer' | 'produced' | 'window' | 'windows';

/** A fan-in dependency: the dependant reads every partition of `asset`. */
export interface AllPartitionsDependency<A extends AnyAssetDefinition = AnyAssetDefinition> {
  readonly kind: 'all-partitions';
  readonly asset: A;
}

/** Fan-in: the dependant receives a record of partition key -> value of every partition. */
export function allPartitions<A extends AnyAssetDefinition>(asset: A): AllPartitionsDependency<A> {
  return { kind: 'all-partitions', asset };
}

/** A fan-in of the partitions the producer's partition with the dependant's key produced. */
export interface ProducedPartitionsDependency<A extends AnyAssetDefinition = AnyAssetDefinition> {
  readonly kind: 'produced-partitions';
  readonly asset: A;
}

/**
 * Fan-in per producer partition: `asset` is partitioned by what a partitioned producer produces,
 * and the dependant shares the producer's partitions; partition `p` of the dependant receives a
 * record of partition key -> value of the partitions of `asset` that the producer's partition
 * `p` produced (e.g. the Pareto front of one plan reads the metrics of that plan's designs).
 */
export function producedBySamePartition<A extends AnyAssetDefinition>(
  asset: A,
): ProducedPartitionsDependency<A> {
  return { kind: 'produced-partitions', asset };
}

/** What a dependency may be declared as: an asset, a fan-in of one, or a key (untyped). */
export type DependencyInput =
  | AnyAssetDefinition
  | AllPartitionsDependency
  | ProducedPartitionsDependency
  | TimeWindowOffsetDependency
  | TimeWindowsWithinDependency
  | DimensionsDependency
  | string;
/** The `deps` of an asset: input name (as in `ctx.inputs`) -> the dependency it reads. */
export type DependencyInputs = Readonly<Record<string, DependencyInput>>;

type ValueOf<A> = A extends AssetDefinition<infer S> ? z.output<S> : never;

/** The typed `ctx.inputs` of a compute function, derived from its declared dependencies. */
export type InputsOf<Deps extends DependencyInputs> = {
  readonly [Name in keyof Deps]: Deps[Name] extends AllPartitionsDependency<infer A>
    ? Readonly<Record<PartitionKey, ValueOf<A>>>
    : Deps[Name] extends
          | ProducedPartitionsDependency<infer A>
          | TimeWindowsWithinDependency<infer A>
          | DimensionsDependency<infer A>
      ? Readonly<Record<PartitionKey, ValueOf<A>>>
      : Deps[Name] extends TimeWindowOffsetDependency<infer A>
        ? ValueOf<A> | undefined
        : Deps[Name] extends AnyAssetDefinition
          ? ValueOf<Deps[Name]>
          : unknown;
};

/** A dependency after normalization: an input name, the key it reads, and how. */
export interface DependencyDefinition {
  readonly inputName: string;
  readonly key: AssetKey;
  /** 'auto' is resolved by defineAssets(): identity for a partitioned dependency, else single. */
  readonly mapping: PartitionMapping | 'auto';
  /** What timeWindowOffset(), timeWindowsWithin() or byDimension() declared. */
  readonly window?: WindowMappingSpec;
}

/** Metadata a compute function attaches to its materialization. */
export type MetadataValue =
  string | number | boolean | null | { readonly url: string; readonly label?: string };

/** The logger a compute function writes to; every line becomes an event of the step. */
export interface AssetLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** Writes and reads content-addressed artifacts from inside a compute function. */
export interface ArtifactAccess {
  /** Stores `content` and returns the reference to embed in the asset's value. */
  put(name: string, content: Uint8Array | string, contentType?: string): Promise<ArtifactRef>;
  /**
   * Stores the bytes of a stream without holding them all in memory (a solver's result file:
   * `createReadStream(path)`), and returns the reference to embed in the asset's value.
   */
  putStream(
    name: string,
    source: AsyncIterable<Uint8Array>,
    contentType?: string,
  ): Promise<ArtifactRef>;
  /** Reads an artifact's bytes, verifying its hash. */
  read(ref: ArtifactRef): Promise<Buffer>;
  /** Streams an artifact's bytes; the stream errors at its end when they do not match the hash. */
  openReadStream(ref: ArtifactRef): Promise<Readable>;
}

/** What a compute function receives. */
export interface AssetContext<Inputs = Readonly<Record<string, unknown>>> {
  readonly inputs: Inputs;
  readonly assetKey: AssetKey;
  /** The partition being computed, or undefined for an unpartitioned asset. */
  readonly partitionKey: PartitionKey | undefined;
  /**
   * For a dynamic partition added with a payload, that payload (fixed when the key was added):
   * for a study's DOE asset, the approved experiment plan (`planOf(ctx)` reads it typed).
   */
  readonly partitionPayload: unknown;
  readonly runId: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
  /** Aborted when the step times out or the run is cancelled. */
  readonly signal: AbortSignal;
  /** Stable across retries of the same inputs: pass it to external systems to dedupe effects. */
  readonly idempotencyKey: string;
  readonly log: AssetLogger;
  readonly artifacts: ArtifactAccess;
  /** MCP tool servers declared in defineAssets({ tools }); every call is recorded. */
  readonly tools: ToolAccess;
  /** Attaches metadata (numbers, strings, links) to the materialization. */
  metadata(values: Readonly<Record<string, MetadataValue>>): void;
  /** Overrides the data version (default: sha256 of the canonical JSON of the value). */
  setDataVersion(version: string): void;
}

/** Options shared by every asset declaration. */
export interface AssetOptions {
  readonly description?: string;
  readonly group?: string;
  readonly owners?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  /** Bump to declare that the computation changed; without it a source hash is used. */
  readonly codeVersion?: string;
  readonly partitions?: PartitionsDefinition;
  readonly retry?: RetryPolicyInput;
  /** The compute function is aborted and the attempt failed after this long. */
  readonly timeout?: Duration;
  /** The name of a concurrency pool declared in defineAssets({ pools }). */
  readonly pool?: string;
  /** Whether the automation daemon rebuilds it (default: never). */
  readonly automation?: AutomationPolicyInput;
  /** How old the latest materialization may get (docs/semantics.md, "Freshness"). */
  readonly freshness?: FreshnessPolicyInput;
}

/** How a source asset is observed. */
export interface ObservationPolicy {
  /** Observe at most this often (ms); undefined: at every tick of the automation daemon. */
  readonly everyMs: number | undefined;
}

/** The user's declaration of one asset. */
export interface AssetSpec<
  Deps extends DependencyInputs,
  S extends z.ZodType,
> extends AssetOptions {
  readonly key: string;
  readonly deps?: Deps;
  /** Output schema: the returned value is validated against it before anything is recorded. */
  readonly schema: S;
  readonly compute: (ctx: AssetContext<InputsOf<Deps>>) => Promise<z.input<S>> | z.input<S>;
  /**
   * Where the compute runs: `slurm({ partition, cpus, memory, time })` submits each attempt as
   * a Slurm batch job; without it (or its pool's default) it runs in the worker's process.
   */
  readonly executor?: SlurmExecutorDeclaration;
}

/** A declared asset, as returned by asset(). */
export interface AssetDefinition<S extends z.ZodType = z.ZodType> {
  readonly kind: 'asset';
  readonly key: AssetKey;
  readonly schema: S;
  readonly dependencies: readonly DependencyDefinition[];
  /** The dependency objects as declared (used to find assets not passed to defineAssets). */
  readonly dependencyAssets: readonly AnyAssetDefinition[];
  readonly compute: (ctx: AssetContext<never>) => unknown;
  readonly description: string | undefined;
  readonly group: string;
  readonly owners: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly partitions: PartitionsDefinition | undefined;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number | undefined;
  readonly pool: string | undefined;
  /** The asset's own executor; undefined: its pool's default, else the worker's process. */
  readonly executor: ExecutorDefinition | undefined;
  readonly automation: AutomationPolicy | undefined;
  /** The validated freshness policy; undefined without one. */
  readonly freshness: FreshnessPolicy | undefined;
  /** Set for a source asset (sourceAsset()): observed, never computed. */
  readonly observation: ObservationPolicy | undefined;
  readonly codeVersion: string;
  readonly codeVersionSource: 'declared' | 'heuristic';
  /** Phantom member carrying the value type. */
  readonly __value?: z.output<S>;
}

/** An asset of any value type: what lists of assets (defineAssets, deps) hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance escape hatch for collections of assets
export type AnyAssetDefinition = AssetDefinition<any>;

/** The default group of assets declared without one. */
export const DEFAULT_GROUP = 'default';

function normalizeDependencies(
  key: AssetKey,
  deps: DependencyInputs,
): {
  dependencies: DependencyDefinition[];
  dependencyAssets: AnyAssetDefinition[];
} {
  const dependencies: DependencyDefinition[] = [];
  const dependencyAssets: AnyAssetDefinition[] = [];
  for (const [inputName, dep] of Object.entries(deps)) {
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(inputName)) {
      throw new DefinitionError(
        `asset ${key}: input name ${JSON.stringify(inputName)} is not an identifier`,
      );
    }
    if (typeof dep === 'string') {
      dependencies.push({ inputName, key: assetKey(dep), mapping: 'auto' });
    } else if (dep && dep.kind === 'all-partitions') {
      dependencies.push({ inputName, key: dep.asset.key, mapping: 'all' });
      dependencyAssets.push(dep.asset);
    } else if (dep && dep.kind === 'produced-partitions') {
      dependencies.push({ inputName, key: dep.asset.key, mapping: 'produced' });
      dependencyAssets.push(dep.asset);
    } else if (windowMappingSpecOf(dep) !== undefined) {
      const window = windowMappingSpecOf(dep)!;
      const { asset } = dep as { asset: AnyAssetDefinition };
      const mapping = window.kind === 'offset' ? 'window' : 'windows';
      dependencies.push({ inputName, key: asset.key, mapping, window });
      dependencyAssets.push(asset);
    } else if (dep && dep.kind === 'asset') {
      dependencies.push({ inputName, key: dep.key, mapping: 'auto' });
      dependencyAssets.push(dep);
    } else {
      throw new DefinitionError(
        `asset ${key}: dependency ${inputName} is neither an asset, allPartitions(asset), producedBySamePartition(asset) nor a key`,
      );
    }
  }
  return { dependencies, dependencyAssets };
}

function schemaDescription(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { unrepresentable: 'any' });
  } catch {
    return null; // schemas with transforms cannot always be rendered; the source hash still covers them
  }
}

/**
 * The heuristic code version: a hash of the compute function's source and the options that
 * shape its output. Declare `codeVersion` to control it explicitly.
 */
function heuristicCodeVersion(
  spec: AssetSpec<DependencyInputs, z.ZodType>,
  dependencies: readonly DependencyDefinition[],
): string {
  const material = JSON.stringify({
    compute: functionSource(spec.compute),
    schema: schemaDescription(spec.schema),
    partitions: describePartitions(spec.partitions),
    inputs: dependencies.map((d) =>
      d.window ? [d.inputName, d.key, d.mapping, d.window] : [d.inputName, d.key, d.mapping],
    ),
  });
  return `h:${createHash('sha256').update(material).digest('hex').slice(0, 16)}`;
}

/** The options every declaration shares, validated; errors name the asset and the field. */
export function normalizeAssetOptions(key: AssetKey, spec: AssetOptions) {
  if (spec.group !== undefined && !/^[a-z0-9_]+$/.test(spec.group)) {
    throw new DefinitionError(
      `asset ${key}: group ${JSON.stringify(spec.group)} must be lowercase letters, digits and _`,
    );
  }
  return {
    description: spec.description,
    group: spec.group ?? DEFAULT_GROUP,
    owners: [...(spec.owners ?? [])],
    tags: { ...(spec.tags ?? {}) },
    partitions: spec.partitions,
    retry: normalizeRetryPolicy(spec.retry, `asset ${key}: retry`),
    timeoutMs:
      spec.timeout === undefined ? undefined : parseDuration(spec.timeout, `asset ${key}: timeout`),
    pool: spec.pool,
    automation: normalizeAutomationPolicy(spec.automation, `asset ${key}`, {
      freshness: spec.freshness,
    }),
    freshness:
      spec.freshness === undefined
        ? undefined
        : normalizeFreshnessPolicy(spec.freshness, `asset ${key}`),
  };
}

/**
 * Declares an asset: a value strata computes from its dependencies, records with its provenance
 * and rebuilds when it is missing or stale. The compute function's `ctx.inputs` is typed from
 * `deps`, and its return value is validated against `schema` before anything is recorded.
 *
 * @example
 * ```ts
 * import { asset, staticPartitions } from 'strata';
 * import { z } from 'zod';
 *
 * const geometry = asset({
 *   key: 'geometry',
 *   schema: z.object({ lengthMm: z.number(), heightMm: z.number() }),
 *   compute: () => ({ lengthMm: 120, heightMm: 30 }),
 * });
 *
 * export const deflection = asset({
 *   key: 'deflection',
 *   partitions: staticPartitions(['gravity', 'wind']), // one step per load case
 *   deps: { geometry }, // ctx.inputs.geometry is typed by geometry's schema
 *   schema: z.object({ tipMm: z.number() }),
 *   retry: { maxAttempts: 3, delay: '2s', backoff: 'exponential' },
 *   timeout: '10m',
 *   compute: ({ inputs, partitionKey, log }) => {
 *     const loadN = partitionKey === 'wind' ? 250 : 100;
 *     log.info('solving', { loadN });
 *     const { lengthMm, heightMm } = inputs.geometry;
 *     return { tipMm: (4 * loadN * lengthMm ** 3) / (210_000 * 10 * heightMm ** 3) };
 *   },
 * });
 * ```
 */
export function asset<
  const Deps extends DependencyInputs = Record<never, never>,
  S extends z.ZodType = z.ZodType,
>(spec: AssetSpec<Deps, S>): AssetDefinition<S> {
  const key = assetKey(spec.key);
  if (!(spec.schema instanceof z.ZodType)) {
    throw new DefinitionError(`asset ${key}: schema must be a zod schema`);
  }
  if (typeof spec.compute !== 'function') {
    throw new DefinitionError(`asset ${key}: compute must be a function`);
  }
  const { dependencies, dependencyAssets } = normalizeDependencies(key, spec.deps ?? {});
  if (
    spec.codeVersion !== undefined &&
    (typeof spec.codeVersion !== 'string' || spec.codeVersion.length === 0)
  ) {
    throw new DefinitionError(`asset ${key}: codeVersion must be a non-empty string`);
  }
  return {
    kind: 'asset',
    key,
    schema: spec.schema,
    dependencies,
    dependencyAssets,
    compute: spec.compute as (ctx: AssetContext<never>) => unknown,
    ...normalizeAssetOptions(key, spec),
    executor: normalizeExecutor(spec.executor, `asset ${key}: executor`),
    observation: undefined,
    codeVersion:
      spec.codeVersion ??
      heuristicCodeVersion(spec as AssetSpec<DependencyInputs, z.ZodType>, dependencies),
    codeVersionSource: spec.codeVersion === undefined ? 'heuristic' : 'declared',
  };
}
