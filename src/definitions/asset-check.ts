// `check()`: a data-quality or engineering check over an asset's materialized value (and its
// metadata), evaluated for each partition right after the materialization, in the same step, and
// on demand by `strata check`. A failing blocking check stops dependants from reading that
// materialization (docs/semantics.md, "Asset checks").
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { DefinitionError } from '../errors.js';
import type { AssetKey, PartitionKey } from './asset-key.js';
import type {
  AnyAssetDefinition,
  ArtifactAccess,
  AssetDefinition,
  AssetLogger,
  MetadataValue,
} from './asset.js';
import { parseDuration, type Duration } from './duration.js';
import { functionSource } from './function-source.js';

/** How serious a failure is: `error` is shown as a failure, `warn` as a warning. */
export type CheckSeverity = 'warn' | 'error';

/** What a check function receives. */
export interface CheckContext<Value = unknown> {
  /** The materialized value, as dependants receive it. */
  readonly value: Value;
  /** The metadata the compute function attached to the materialization. */
  readonly metadata: Readonly<Record<string, MetadataValue>>;
  readonly assetKey: AssetKey;
  /** The partition judged, or undefined for an unpartitioned asset. */
  readonly partitionKey: PartitionKey | undefined;
  /** Aborted when the check times out or its run is cancelled. */
  readonly signal: AbortSignal;
  readonly log: AssetLogger;
  /** Reads the artifacts the value references (a mesh file, a solver's result). */
  readonly artifacts: Pick<ArtifactAccess, 'read' | 'openReadStream'>;
}

/** A check's verdict with what it measured; a bare boolean is `{ passed }`. */
export interface CheckVerdict {
  readonly passed: boolean;
  /** One line saying what was found, e.g. "max aspect ratio 12.3 > 10". */
  readonly description?: string;
  /** Numbers, strings and links recorded with the result. */
  readonly metadata?: Readonly<Record<string, MetadataValue>>;
}

/** What a check function returns. A check that throws fails, with its error recorded. */
export type CheckFunctionResult = boolean | CheckVerdict;

/** The user's declaration of a check. */
export interface CheckSpec<A extends AnyAssetDefinition> {
  /** The asset whose materializations it judges. */
  readonly asset: A;
  /** Unique per asset: lowercase letters, digits and _. */
  readonly name: string;
  readonly description?: string;
  /** Default `error`. */
  readonly severity?: CheckSeverity;
  /**
   * Whether a failure stops dependants from reading the materialization (default false: a
   * failure warns). A blocking check has severity `error`.
   */
  readonly blocking?: boolean;
  /** Bump to declare that the check changed; without it a hash of `run`'s source is used. */
  readonly codeVersion?: string;
  /** The check fails when it takes longer (default: the asset's `timeout`, if any). */
  readonly timeout?: Duration;
  readonly run: (
    ctx: CheckContext<A extends AssetDefinition<infer S> ? z.output<S> : unknown>,
  ) => CheckFunctionResult | Promise<CheckFunctionResult>;
}

/** A declared check, as returned by check(). */
export interface CheckDefinition {
  readonly kind: 'check';
  readonly assetKey: AssetKey;
  /** The asset as declared (defineAssets() checks it is the one in the graph). */
  readonly asset: AnyAssetDefinition;
  readonly name: string;
  readonly description: string | undefined;
  readonly severity: CheckSeverity;
  readonly blocking: boolean;
  readonly codeVersion: string;
  readonly codeVersionSource: 'declared' | 'heuristic';
  readonly timeoutMs: number | undefined;
  readonly run: (ctx: CheckContext) => CheckFunctionResult | Promise<CheckFunctionResult>;
}

const CHECK_NAME = /^[a-z0-9_]+$/;

/**
 * Declares a check of an asset's materializations. Pass it to `defineAssets(assets, { checks })`.
 *
 * @example
 * ```ts
 * import { check } from 'strata';
 *
 * export const meshQuality = check({
 *   asset: mesh,
 *   name: 'aspect_ratio',
 *   description: 'no element more stretched than 10:1',
 *   blocking: true, // solvers never read a mesh that fails it
 *   run: ({ value }) => ({
 *     passed: value.maxAspectRatio <= 10,
 *     description: `max aspect ratio ${value.maxAspectRatio.toFixed(2)}`,
 *     metadata: { maxAspectRatio: value.maxAspectRatio },
 *   }),
 * });
 * ```
 */
export function check<A extends AnyAssetDefinition>(spec: CheckSpec<A>): CheckDefinition {
  const target = spec?.asset;
  if (!target || target.kind !== 'asset')
    throw new DefinitionError('check: asset must be an asset() definition');
  const where = `check ${target.key}:${String(spec.name)}`;
  if (typeof spec.name !== 'string' || !CHECK_NAME.test(spec.name))
    throw new DefinitionError(
      `check of asset ${target.key}: name ${JSON.stringify(spec.name)} must be lowercase letters, digits and _`,
    );
  if (typeof spec.run !== 'function') throw new DefinitionError(`${where}: run must be a function`);
  const severity = spec.severity ?? 'error';
  if (severity !== 'warn' && severity !== 'error')
    throw new DefinitionError(
      `${where}: severity must be 'warn' or 'error', not ${JSON.stringify(severity)}`,
    );
  const blocking = spec.blocking ?? false;
  if (typeof blocking !== 'boolean')
    throw new DefinitionError(`${where}: blocking must be true or false`);
  if (blocking && severity === 'warn')
    throw new DefinitionError(`${where}: a blocking check cannot have severity 'warn'`, {
      hint: "drop severity (blocking checks fail with 'error'), or make it non-blocking",
    });
  if (
    spec.codeVersion !== undefined &&
    (typeof spec.codeVersion !== 'string' || spec.codeVersion.length === 0)
  )
    throw new DefinitionError(`${where}: codeVersion must be a non-empty string`);
  const run = spec.run as CheckDefinition['run'];
  return {
    kind: 'check',
    assetKey: target.key,
    asset: target,
    name: spec.name,
    description: spec.description,
    severity,
    blocking,
    codeVersion: spec.codeVersion ?? heuristicCheckVersion(run),
    codeVersionSource: spec.codeVersion === undefined ? 'heuristic' : 'declared',
    timeoutMs:
      spec.timeout === undefined
        ? target.timeoutMs
        : parseDuration(spec.timeout, `${where}: timeout`),
    run,
  };
}

function heuristicCheckVersion(run: CheckDefinition['run']): string {
  const material = JSON.stringify({ run: functionSource(run) });
  return `h:${createHash('sha256').update(material).digest('hex').slice(0, 16)}`;
}

/** Groups checks by asset (sorted by name), refusing duplicates and checks of unknown assets. */
export function collectChecks(
  checks: readonly CheckDefinition[],
  assets: ReadonlyMap<AssetKey, AnyAssetDefinition>,
): Map<AssetKey, readonly CheckDefinition[]> {
  if (!Array.isArray(checks))
    throw new DefinitionError('defineAssets: checks must be an array of check() definitions');
  const byAsset = new Map<AssetKey, CheckDefinition[]>();
  checks.forEach((declared, index) => {
    if (!declared || declared.kind !== 'check')
      throw new DefinitionError(`defineAssets: checks[${index}] is not a check() definition`);
    const target = assets.get(declared.assetKey);
    if (target === undefined)
      throw new DefinitionError(
        `check ${declared.assetKey}:${declared.name} judges asset ${declared.assetKey}, which is not among the assets`,
        { hint: 'pass the asset to defineAssets() too' },
      );
    if (target.observation !== undefined)
      throw new DefinitionError(
        `check ${declared.assetKey}:${declared.name}: ${declared.assetKey} is a source asset; checks judge computed assets`,
      );
    if (target !== declared.asset)
      throw new DefinitionError(
        `check ${declared.assetKey}:${declared.name} judges a different asset declared with key ${declared.assetKey}`,
      );
    const list = byAsset.get(declared.assetKey) ?? [];
    if (list.some((other) => other.name === declared.name))
      throw new DefinitionError(
        `asset ${declared.assetKey} has two checks named ${declared.name}`,
        { hint: 'give each check of an asset its own name' },
      );
    list.push(declared);
    byAsset.set(declared.assetKey, list);
  });
  for (const list of byAsset.values()) list.sort((a, b) => (a.name < b.name ? -1 : 1));
  return byAsset;
}
