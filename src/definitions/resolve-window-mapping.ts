// Resolves how a dependant reads a time-window or multi-dimensional dependency, one rule per
// dimension of the dependency, or refuses the pair with a message naming both assets.
import { DefinitionError } from '../errors.js';
import type { AnyAssetDefinition, DependencyDefinition, PartitionMapping } from './asset.js';
import type { DimensionPartitions } from './multi-partitions.js';
import type { DimensionRule } from './partition-mappings.js';
import { partitionSetId, type PartitionsDefinition } from './partitions.js';
import type { TimeWindowPartitions } from './time-window-partitions.js';

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

interface Dimension {
  readonly name: string;
  readonly set: DimensionPartitions;
}

const CALENDAR = ['hourly', 'daily', 'weekly', 'monthly'];

function dimensionsOf(partitions: PartitionsDefinition): Dimension[] | undefined {
  if (partitions.kind === 'multi')
    return partitions.dimensions.map((d) => ({ name: d.name, set: d.partitions }));
  if (partitions.kind === 'produced') return undefined;
  return [{ name: '', set: partitions }];
}

const ownDimsMulti = (dims: Dimension[] | undefined): boolean => (dims?.length ?? 0) > 1;
const isTime = (set: DimensionPartitions): set is TimeWindowPartitions =>
  set.kind === 'time-window';

/** Whether every window of `inner` lies inside one window of `outer` (hours in days, days in months). */
function nests(inner: DimensionPartitions, outer: DimensionPartitions): boolean {
  if (!isTime(inner) || !isTime(outer) || inner.timezone !== outer.timezone) return false;
  const a = CALENDAR.indexOf(inner.granularity);
  const b = CALENDAR.indexOf(outer.granularity);
  return a >= 0 && b > a && !(inner.granularity === 'weekly' && outer.granularity === 'monthly');
}

/** Whether windows of `finer` can be grouped by the window of `coarser` they start in. */
function groups(finer: DimensionPartitions, coarser: DimensionPartitions): boolean {
  if (!isTime(finer) || !isTime(coarser) || finer.timezone !== coarser.timezone) return false;
  const a = CALENDAR.indexOf(finer.granularity);
  const b = CALENDAR.indexOf(coarser.granularity);
  return a >= 0 && b >= a;
}

const same = (a: DimensionPartitions, b: DimensionPartitions): boolean =>
  partitionSetId(a) === partitionSetId(b);

function describe(dimension: Dimension): string {
  const set = dimension.set;
  const what = isTime(set)
    ? `${set.granularity} windows (${set.timezone})`
    : `${set.kind} partitions`;
  return dimension.name === '' ? what : `dimension ${dimension.name} (${what})`;
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
  const spec = declared.window;
  const own = dependant.partitions;
  const theirs = dependency.partitions;
  if (spec === undefined) {
    if (
      declared.mapping !== 'auto' ||
      !own ||
      !theirs ||
      partitionSetId(own) === partitionSetId(theirs)
    )
      return undefined;
    const windowish = (p: PartitionsDefinition) => p.kind === 'time-window' || p.kind === 'multi';
    if (!windowish(own) && !windowish(theirs)) return undefined;
  }
  const where = `asset ${dependant.key}, input ${declared.inputName} (${dependency.key})`;
  const fail = (message: string, hint?: string): never => {
    throw new DefinitionError(`${where}: ${message}`, hint === undefined ? {} : { hint });
  };
  const ownDims = own ? dimensionsOf(own) : undefined;
  const depDims = theirs ? dimensionsOf(theirs) : undefined;
  if (!ownDims)
    fail(
      `${dependant.key} must be partitioned (not by a producer) to read partitions of ${dependency.key} by time window or dimension`,
    );
  if (!depDims)
    fail(
      `${dependency.key} must have time-window, static, dynamic or multi-dimensional partitions`,
    );
  const ownMulti = own!.kind === 'multi';
  /** The dependant's dimension matching the dependency's `dim`: the same name, or its only one. */
  const counterpart = (dim: Dimension): number => {
    if (ownMulti) return ownDims!.findIndex((d) => d.name === dim.name);
    const set = ownDims![0]!.set;
    return same(set, dim.set) ||
      nests(set, dim.set) ||
      groups(dim.set, set) ||
      !ownDimsMulti(depDims)
      ? 0
      : -1;
  };
  const resolveRule = (dim: Dimension, rule: DimensionRule | undefined): ResolvedDimension => {
    if (rule === 'all')
      return { dimension: dim.name, rule: 'all', from: -1, offset: 0, set: dim.set };
    let from = counterpart(dim);
    if (from < 0 && ownMulti) {
      // A dimension of another name: the dependant's only one it can be matched with.
      const candidates = ownDims!
        .map((d, i) => [d, i] as const)
        .filter(([d]) => same(d.set, dim.set) || nests(d.set, dim.set) || groups(dim.set, d.set));
      if (candidates.length === 1) from = candidates[0]![1];
    }
    if (from < 0)
      return fail(
        `${dependant.key} has no dimension ${dim.name} to read ${describe(dim)} of ${dependency.key} by`,
        `read every key of it: byDimension(${dependency.key}, { ${dim.name || 'dimension'}: 'all' })`,
      );
    const fromSet = ownDims![from]!.set;
    const mine = `${ownMulti ? `dimension ${ownDims![from]!.name} of ` : ''}${dependant.key}`;
    if (typeof rule === 'object') {
      const offset = rule?.offset;
      if (!Number.isInteger(offset) || offset > 0)
        fail(
          `the window offset must be an integer <= 0, got ${String(offset)}`,
          'a partition reads its own or earlier windows: -1 is the previous one',
        );
      if (!isTime(dim.set) || !same(fromSet, dim.set))
        fail(
          `a window offset needs the same time-window partitions on both sides, but ${mine} and ${describe(dim)} of ${dependency.key} differ`,
        );
      return { dimension: dim.name, rule: 'offset', from, offset, fromSet, set: dim.set };
    }
    if (rule === 'within') {
      if (!groups(dim.set, fromSet))
        fail(
          `timeWindowsWithin() needs finer or equal calendar windows of the same timezone in ${dependency.key} than in ${mine}`,
        );
      return { dimension: dim.name, rule: 'within', from, offset: 0, fromSet, set: dim.set };
    }
    if ((rule === undefined || rule === 'identity') && same(fromSet, dim.set))
      return { dimension: dim.name, rule: 'identity', from, offset: 0, fromSet, set: dim.set };
    if ((rule === undefined || rule === 'containing') && nests(fromSet, dim.set))
      return { dimension: dim.name, rule: 'containing', from, offset: 0, fromSet, set: dim.set };
    return fail(
      `${mine} and ${describe(dim)} of ${dependency.key} have different partitions that cannot be matched one to one`,
      isTime(dim.set) && groups(dim.set, fromSet)
        ? `read the windows inside each window: timeWindowsWithin(${dependency.key})`
        : `read every partition: allPartitions(${dependency.key})`,
    );
  };
  const ruleOf = (dim: Dimension): DimensionRule | undefined => {
    if (spec?.kind === 'offset') return isTime(dim.set) ? { offset: spec.offset } : undefined;
    if (spec?.kind === 'within') return 'within';
    if (spec?.kind === 'dimensions') return spec.rules[dim.name];
    return undefined;
  };
  if (spec?.kind === 'dimensions') {
    if (theirs!.kind !== 'multi')
      fail(`byDimension() needs a multi-dimensional dependency, but ${dependency.key} is not`);
    for (const name of Object.keys(spec.rules))
      if (!depDims!.some((d) => d.name === name))
        fail(
          `byDimension(): ${dependency.key} has no dimension ${name}`,
          `its dimensions: ${depDims!.map((d) => d.name).join(', ')}`,
        );
  }
  if (spec?.kind === 'offset' && depDims!.filter((d) => isTime(d.set)).length !== 1)
    fail(
      `timeWindowOffset() needs ${dependency.key} partitioned by one time-window set (or one such dimension)`,
    );
  if (spec?.kind === 'within' && theirs!.kind !== 'time-window')
    fail(`timeWindowsWithin() needs ${dependency.key} partitioned by time windows`);
  const dimensions = depDims!.map((dim) => resolveRule(dim, ruleOf(dim)));
  if (!ownMulti && dimensions.filter((d) => d.rule !== 'all').length > 1)
    fail(
      `${dependant.key} has one dimension but ${dependency.key}'s dimensions ${dimensions
        .filter((d) => d.rule !== 'all')
        .map((d) => d.dimension)
        .join(', ')} all need one`,
      `read the others with 'all': byDimension(${dependency.key}, { ... })`,
    );
  const fanIn = spec !== undefined && spec.kind !== 'offset';
  return { mapping: fanIn ? 'windows' : 'window', dimensions };
}
