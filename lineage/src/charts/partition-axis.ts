// The categorical x axis of a per-partition chart: one slot per partition key in natural order,
// every label shown upright when they fit, else slanted, and beyond that every k-th one.
import { naturalSort } from '../partition-ranges.js';

/** Approximate width of a tick label's character at the tick font size (10px). */
const CHAR_W = 5.6;
/** The least distance between slanted labels. */
const SLANTED_GAP = 12;
/** Slanted labels longer than this are cut. */
const MAX_LABEL_CHARS = 14;

/** Where each partition goes and how its label is drawn. */
export interface PartitionAxis {
  readonly keys: readonly string[];
  x(partition: string): number;
  /** Labels to draw (every key, or every k-th when crowded). */
  readonly labels: readonly { readonly key: string; readonly x: number; readonly text: string }[];
  readonly slanted: boolean;
  /** The height the labels need below the axis line. */
  readonly labelHeight: number;
}

/** The axis of `partitions` over [left, right] pixels. */
export function partitionAxis(
  partitions: readonly string[],
  left: number,
  right: number,
): PartitionAxis {
  const keys = naturalSort([...new Set(partitions)]);
  const slot = (right - left) / Math.max(1, keys.length);
  const index = new Map(keys.map((key, i) => [key, i]));
  const x = (key: string): number => left + ((index.get(key) ?? 0) + 0.5) * slot;
  const longest = Math.max(0, ...keys.map((key) => key.length));
  const slanted = longest * CHAR_W + 3 > slot;
  const every = slanted ? Math.max(1, Math.ceil(SLANTED_GAP / slot)) : 1;
  const cut = (key: string): string =>
    slanted && key.length > MAX_LABEL_CHARS ? `${key.slice(0, MAX_LABEL_CHARS - 1)}…` : key;
  const labels = keys
    .filter((_, i) => i % every === 0)
    .map((key) => ({ key, x: x(key), text: cut(key) }));
  const labelChars = Math.min(longest, MAX_LABEL_CHARS);
  return {
    keys,
    x,
    labels,
    slanted,
    labelHeight: slanted ? Math.ceil(labelChars * CHAR_W * Math.SQRT1_2) + 16 : 22,
  };
}
