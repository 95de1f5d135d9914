// Asset keys: path-like names (`sim/mesh`) validated once, then carried as a branded type so
// that the core never passes around unchecked strings.
import { DefinitionError } from '../errors.js';

/** A validated asset key: segments of `[a-z0-9_]+` joined by `/`. */
export type AssetKey = string & { readonly __brand: 'AssetKey' };

const KEY_PATTERN = /^[a-z0-9_]+(\/[a-z0-9_]+)*$/;
/** Long keys make unreadable graphs and index entries; 200 characters is plenty for a path. */
export const MAX_ASSET_KEY_LENGTH = 200;

/** True when `value` is a syntactically valid asset key. */
export function isAssetKey(value: string): value is AssetKey {
  return value.length <= MAX_ASSET_KEY_LENGTH && KEY_PATTERN.test(value);
}

/** Validates `value` as an asset key or throws a DefinitionError naming it. */
export function assetKey(value: string): AssetKey {
  if (!isAssetKey(value)) {
    throw new DefinitionError(`invalid asset key ${JSON.stringify(value)}`, {
      hint: 'keys are path segments of lowercase letters, digits and _, joined by / (e.g. sim/mesh)',
    });
  }
  return value;
}

/** A validated partition key. */
export type PartitionKey = string;

// `|` only separates the dimension keys of a multi-dimensional key (multi-partitions.ts).
const PARTITION_PATTERN = /^[A-Za-z0-9_.:@+=|-]+$/;
/** Partition keys appear in URLs, file names and CLI brackets; keep them short and plain. */
export const MAX_PARTITION_KEY_LENGTH = 128;

/** Why `value` is not a valid partition key, or undefined when it is. */
export function partitionKeyProblem(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > MAX_PARTITION_KEY_LENGTH)
    return `it is longer than ${MAX_PARTITION_KEY_LENGTH} characters`;
  if (!PARTITION_PATTERN.test(value))
    return 'it may only contain letters, digits and _ . : @ + = - (and | between dimensions)';
  return undefined;
}
