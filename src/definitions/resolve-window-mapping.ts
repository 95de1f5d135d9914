// Resolves how a dependant reads a time-window or multi-dimensional dependency, one rule per
// dimension of the dependency, or refuses the pair with a message naming both assets.
import { DefinitionError } from '../errors.js';
import type { AnyAssetDefinition, DependencyDefinition, PartitionMapping } from './asset.js';
import {
  describe,
  dimensionsOf,
  groups,
  isTime,
  nests,
  same,
  type Dimension,
} from './dimension-matching.js';
import type { DimensionPartitions } from './multi-partitions.js';
import type { DimensionRule, WindowMappingSpec } from './partition-mappings.js';
import { partitionSetId, type PartitionsDefinition } from './partitions.js';

/** How one dimension of a dependency is read, resolved against the dependant's partitions. */
export interface ResolvedDimension {
  /** The dependency's dimension ('' for a dependency that is not multi-dimensional). */
  readonly dimension: string;
  readonly rule: 'identity' | 'offset' | 'containing' | 'within' | 'all';
  /** The dependant's dimension the rule follows (index; 0 when not multi-dimensional), -1 for all. */
  readonly from: number;
  /** Windows to move (rule offset; <= 0). */
  readonly offset: number;
  /** The dependant's dimension set the rule follows (time windows for containing/within). */
  readonly fromSet?: DimensionPartitions;
  /** The dependency's dimension set. */
  readonly set: DimensionPartitions;
}

/** A mapping of the `window` (one partition) or `windows` (fan-in) kind. */
export interface ResolvedWindowMapping {
  readonly mapping: Extract<PartitionMapping, 'window' | 'windows'>;
  readonly dimensions: readonly ResolvedDimension[];
}

/** What resolving one dependency works on: both ends, their dimensions, and how to refuse. */
interface Pair {
  readonly dependant: AnyAssetDefinition;
  readonly dependency: AnyAssetDefinition;
  readonly ownDims: readonly Dimension[];
  readonly depDims: readonly Dimension[];
  readonly ownMulti: boolean;
  readonly fail: (message: string, hint?: string) => never;
}

/** Whether a dependency declared without a helper needs a window mapping (not plain identity). */
function needsWindowMapping(
  own: PartitionsDefinition | undefined,
  theirs: PartitionsDefinition | undefined,
  declared: DependencyDefinition,
): boolean {
  if (declared.window !== undefined) return true;
  if (declared.mapping !== 'auto' || !own || !theirs) return false;
  if (partitionSetId(own) === partitionSetId(theirs)) return false;
  const windowish = (p: PartitionsDefinition) => p.kind === 'time-window' || p.kind === 'multi';
  return windowish(own) || windowish(theirs);
}

/** The dependant's dimension `dim` of the dependency follows (index), or -1 when none can. */
function counterpart(pair: Pair, dim: Dimension): number {
  const { ownDims, ownMulti } = pair;
  const matches = (d: Dimension) =>
    same(d.set, dim.set) || nests(d.set, dim.set) || groups(dim.set, d.set);
  if (!ownMulti) return matches(ownDims[0]!) || pair.depDims.length === 1 ? 0 : -1;
  const named = ownDims.findIndex((d) => d.name === dim.name);
  if (named >= 0) return named;
  // A dimension of another name: the dependant's only one it can be matched with.
  const candidates = ownDims.flatMap((d, i) => (matches(d) ? [i] : []));
  return candidates.length === 1 ? candidates[0]! : -1;
}

/** How dimension `dim` of the dependency is read under `rule` (undefined: one to one). */
function resolveDimension(
  pair: Pair,
  dim: Dimension,
  rule: DimensionRule | undefined,
): ResolvedDimension {
  const { dependant, dependency, fail } = pair;
  const base = { dimension: dim.name, offset: 0, set: dim.set };
  if (rule === 'all') return { ...base, rule: 'all', from: -1 };
  const from = counterpart(pair, dim);
  if (from < 0)
    return fail(
      `${dependant.key} has no dimension ${dim.name} to read ${describe(dim)} of ${dependency.key} by`,
      `read every key of it: byDimension(${dependency.key}, { ${dim.name || 'dimension'}: 'all' })`,
    );
  const fromSet = pair.ownDims[from]!.set;
  const mine = `${pair.ownMulti ? `dimension ${pair.ownDims[from]!.name} of ` : ''}${dependant.key}`;
  const theirs = `${describe(dim)} of ${dependency.key}`;
  const resolved = { ...base, from, fromSet };
  if (typeof rule === 'object') {
    const offset = rule?.offset;
    if (!Number.isInteger(offset) || offset > 0)
      fail(
        `the window offset must be an integer <= 0, got ${String(offset)}`,
        'a partition reads its own or earlier windows: -1 is the previous one',
      );
    if (!isTime(dim.set) || !same(fromSet, dim.set))
      fail(
        `a window offset needs the same time-window partitions on both sides, but ${mine} and ${theirs} differ`,
      );
    return { ...resolved, rule: 'offset', offset };
  }
  if (rule === 'within') {
    if (!groups(dim.set, fromSet))
      fail(
        `timeWindowsWithin() needs finer or equal calendar windows of the same timezone in ${dependency.key} than in ${mine}`,
      );
    return { ...resolved, rule: 'within' };
  }
  if ((rule === undefined || rule === 'identity') && same(fromSet, dim.set))
    return { ...resolved, rule: 'identity' };
  if ((rule === undefined || rule === 'containing') && nests(fromSet, dim.set))
    return { ...resolved, rule: 'containing' };
  return fail(
    `${mine} and ${theirs} have different partitions that cannot be matched one to one`,
    isTime(dim.set) && groups(dim.set, fromSet)
      ? `read the windows inside each window: timeWindowsWithin(${dependency.key})`
      : `read every partition: allPartitions(${dependency.key})`,
  );
}

/** Refuses a helper applied to a dependency it does not fit. */
function checkSpec(pair: Pair, spec: WindowMappingSpec | undefined): void {
  const { dependency, depDims, fail } = pair;
  const kind = dependency.partitions!.kind;
  if (spec?.kind === 'dimensions') {
    if (kind !== 'multi')
      fail(`byDimension() needs a multi-dimensional dependency, but ${dependency.key} is not`);
    for (const name of Object.keys(spec.rules))
      if (!depDims.some((d) => d.name === name))
        fail(
          `byDimension(): ${dependency.key} has no dimension ${name}`,
          `its dimensions: ${depDims.map((d) => d.name).join(', ')}`,
        );
  }
  if (spec?.kind === 'offset' && depDims.filter((d) => isTime(d.set)).length !== 1)
    fail(
      `timeWindowOffset() needs ${dependency.key} partitioned by one time-window set (or one such dimension)`,
    );
  if (spec?.kind === 'within' && kind !== 'time-window')
    fail(`timeWindowsWithin() needs ${dependency.key} partitioned by time windows`);
}

/** The rule a helper declares for dimension `dim` (undefined: one to one). */
function ruleOf(spec: WindowMappingSpec | undefined, dim: Dimension): DimensionRule | undefined {
  if (spec?.kind === 'offset') return isTime(dim.set) ? { offset: spec.offset } : undefined;
  if (spec?.kind === 'within') return 'within';
  if (spec?.kind === 'dimensions') return spec.rules[dim.name];
  return undefined;
}

/**
 * The mapping of `declared` (a dependency of `dependant` on `dependency`), when either side is
 * time-window or multi-dimensional and the pair is not plain identity; undefined otherwise.
 */
export function resolveWindowMapping(
  dependant: AnyAssetDefinition,
  dependency: AnyAssetDefinition,
  declared: DependencyDefinition,
): ResolvedWindowMapping | undefined {
  const own = dependant.partitions;
  const theirs = dependency.partitions;
  if (!needsWindowMapping(own, theirs, declared)) return undefined;
  const where = `asset ${dependant.key}, input ${declared.inputName} (${dependency.key})`;
  const fail = (message: string, hint?: string): never => {
    throw new DefinitionError(`${where}: ${message}`, hint === undefined ? {} : { hint });
  };
  const ownDims = own ? dimensionsOf(own) : undefined;
  const depDims = theirs ? dimensionsOf(theirs) : undefined;
  if (!ownDims)
    return fail(
      `${dependant.key} must be partitioned (not by a producer) to read partitions of ${dependency.key} by time window or dimension`,
    );
  if (!depDims)
    return fail(
      `${dependency.key} must have time-window, static, dynamic or multi-dimensional partitions`,
    );
  const pair: Pair = {
    dependant,
    dependency,
    ownDims,
    depDims,
    ownMulti: own!.kind === 'multi',
    fail,
  };
  const spec = declared.window;
  checkSpec(pair, spec);
  const dimensions = depDims.map((dim) => resolveDimension(pair, dim, ruleOf(spec, dim)));
  const followed = dimensions.filter((d) => d.rule !== 'all').map((d) => d.dimension);
  if (!pair.ownMulti && followed.length > 1)
    fail(
      `${dependant.key} has one dimension but ${dependency.key}'s dimensions ${followed.join(', ')} all need one`,
      `read the others with 'all': byDimension(${dependency.key}, { ... })`,
    );
  const fanIn = spec !== undefined && spec.kind !== 'offset';
  return { mapping: fanIn ? 'windows' : 'window', dimensions };
}
