// Which dimensions of two partition sets can be matched: the same set, windows nesting in
// coarser ones (hours in days, days in weeks or months), or finer windows grouped by the coarser
// window they start in; calendar windows of one timezone only.
import type { DimensionPartitions } from './multi-partitions.js';
import { partitionSetId, type PartitionsDefinition } from './partitions.js';
import type { TimeWindowPartitions } from './time-window-partitions.js';

/** One dimension of a partition set ('' for a set that is not multi-dimensional). */
export interface Dimension {
  readonly name: string;
  readonly set: DimensionPartitions;
}

const CALENDAR = ['hourly', 'daily', 'weekly', 'monthly'];

/** The dimensions of a set; undefined for produced partitions, which have none to match. */
export function dimensionsOf(partitions: PartitionsDefinition): Dimension[] | undefined {
  if (partitions.kind === 'multi')
    return partitions.dimensions.map((d) => ({ name: d.name, set: d.partitions }));
  if (partitions.kind === 'produced') return undefined;
  return [{ name: '', set: partitions }];
}

/** Whether a dimension is time windows. */
export const isTime = (set: DimensionPartitions): set is TimeWindowPartitions =>
  set.kind === 'time-window';

/** Whether every window of `inner` lies inside one window of `outer` (hours in days, days in months). */
export function nests(inner: DimensionPartitions, outer: DimensionPartitions): boolean {
  if (!isTime(inner) || !isTime(outer) || inner.timezone !== outer.timezone) return false;
  const a = CALENDAR.indexOf(inner.granularity);
  const b = CALENDAR.indexOf(outer.granularity);
  return a >= 0 && b > a && !(inner.granularity === 'weekly' && outer.granularity === 'monthly');
}

/** Whether windows of `finer` can be grouped by the window of `coarser` they start in. */
export function groups(finer: DimensionPartitions, coarser: DimensionPartitions): boolean {
  if (!isTime(finer) || !isTime(coarser) || finer.timezone !== coarser.timezone) return false;
  const a = CALENDAR.indexOf(finer.granularity);
  const b = CALENDAR.indexOf(coarser.granularity);
  return a >= 0 && b >= a;
}

/** Whether two dimensions are the same set (identity can match them). */
export const same = (a: DimensionPartitions, b: DimensionPartitions): boolean =>
  partitionSetId(a) === partitionSetId(b);

/** A dimension in words, for messages. */
export function describe(dimension: Dimension): string {
  const set = dimension.set;
  const what = isTime(set)
    ? `${set.granularity} windows (${set.timezone})`
    : `${set.kind} partitions`;
  return dimension.name === '' ? what : `dimension ${dimension.name} (${what})`;
}
