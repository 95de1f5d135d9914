// Which partitions of a time-window or multi-dimensional dependency one partition reads: each
// dimension of the dependency by its resolved rule (the same key, an earlier window, the window
// containing the dependant's, the windows inside it, or every key), combined in dimension order.
import {
  joinDimensionKeys,
  splitDimensionKeys,
  timeWindowKeyContaining,
  timeWindowKeysStartingIn,
  timeWindowOf,
  type PartitionKey,
  type ResolvedDependency,
  type ResolvedDimension,
  type TimeWindowPartitions,
} from '../definitions/index.js';

/** What the window mappings need of the dependency's current partition set. */
export interface DimensionedSetView {
  readonly keys: readonly PartitionKey[];
  /** A multi-dimensional set's keys per dimension, in declared order. */
  readonly dimensionKeys?: readonly (readonly PartitionKey[])[];
}

/** key -> position of each key list an offset was looked up in, built once per list. */
const positions = new WeakMap<readonly PartitionKey[], Map<PartitionKey, number>>();

function positionOf(keys: readonly PartitionKey[], key: PartitionKey): number | undefined {
  let index = positions.get(keys);
  if (index === undefined) {
    index = new Map(keys.map((k, i) => [k, i]));
    positions.set(keys, index);
  }
  return index.get(key);
}

/** The dependency's keys of one dimension that dependant key `own` (its dimension keys) reads. */
function dimensionKeys(
  rule: ResolvedDimension,
  own: readonly PartitionKey[],
  setKeys: readonly PartitionKey[],
): readonly PartitionKey[] {
  if (rule.rule === 'all') return setKeys;
  const key = own[rule.from];
  if (key === undefined) return [];
  switch (rule.rule) {
    case 'identity':
      return [key];
    case 'offset': {
      const at = positionOf(setKeys, key);
      const moved = at === undefined ? undefined : setKeys[at + rule.offset];
      return moved === undefined ? [] : [moved];
    }
    case 'containing': {
      const window = timeWindowOf(rule.fromSet as TimeWindowPartitions, key);
      const containing =
        window && timeWindowKeyContaining(rule.set as TimeWindowPartitions, window.start);
      return containing ? [containing] : [];
    }
    case 'within': {
      const window = timeWindowOf(rule.fromSet as TimeWindowPartitions, key);
      return window
        ? timeWindowKeysStartingIn(rule.set as TimeWindowPartitions, window.start, window.end)
        : [];
    }
  }
}

/** The partitions of the dependency partition `partition` of the dependant reads. */
export function windowPartitions(
  dependency: ResolvedDependency,
  partition: PartitionKey,
  dependencySet: DimensionedSetView | undefined,
): readonly PartitionKey[] {
  const rules = dependency.dimensions ?? [];
  const own = splitDimensionKeys(partition); // only multi-dimensional keys contain the separator
  const multi = rules.length > 1 || (rules[0]?.dimension ?? '') !== '';
  const perDimension = rules.map((rule, i) =>
    dimensionKeys(
      rule,
      own,
      (multi ? dependencySet?.dimensionKeys?.[i] : dependencySet?.keys) ?? [],
    ),
  );
  if (!multi) return perDimension[0] ?? [];
  let combined: PartitionKey[][] = [[]];
  for (const keys of perDimension)
    combined = combined.flatMap((prefix) => keys.map((key) => [...prefix, key]));
  return combined.map(joinDimensionKeys);
}
