// Multi-dimensional partitions: named dimensions, each a static, dynamic or time-window set. A
// key joins one key per dimension, in declared order, with `|` (`2024-03-31|eu`); `|` is the one
// character partition keys allow that a dimension's own keys may not contain.
import { DefinitionError } from '../errors.js';
import type { PartitionKey } from './asset-key.js';
import type { DynamicPartitions, StaticPartitions } from './partitions.js';
import type { TimeWindowPartitions } from './time-window-partitions.js';

/** The separator of dimension keys in a multi-dimensional key. */
export const DIMENSION_SEPARATOR = '|';

/** What one dimension may be partitioned by. */
export type DimensionPartitions = StaticPartitions | DynamicPartitions | TimeWindowPartitions;

/** One named dimension. */
export interface PartitionDimension {
  readonly name: string;
  readonly partitions: DimensionPartitions;
}

/** Partitions along several dimensions: every combination of their keys. */
export interface MultiPartitions {
  readonly kind: 'multi';
  /** In declared order; a key lists its dimension keys in this order. */
  readonly dimensions: readonly PartitionDimension[];
}

/**
 * Partitions along named dimensions (at least two), each static, dynamic or time windows; a key
 * joins the dimension keys in declared order with `|`.
 *
 * @example
 * ```ts
 * import { dailyPartitions, multiPartitions, staticPartitions } from 'strata';
 *
 * // keys 2024-01-01|eu, 2024-01-01|us, 2024-01-02|eu, ...
 * const byDayAndRegion = multiPartitions({
 *   date: dailyPartitions({ start: '2024-01-01' }),
 *   region: staticPartitions(['eu', 'us']),
 * });
 * ```
 */
export function multiPartitions(
  dimensions: Readonly<Record<string, DimensionPartitions>>,
): MultiPartitions {
  if (typeof dimensions !== 'object' || dimensions === null)
    throw new DefinitionError('multiPartitions: expected { name: partitions, ... }');
  const entries = Object.entries(dimensions);
  if (entries.length < 2)
    throw new DefinitionError(
      `multiPartitions: ${entries.length} dimension${entries.length === 1 ? '' : 's'} given, at least 2 needed`,
      { hint: 'use the one partition set directly' },
    );
  for (const [name, partitions] of entries) {
    if (!/^[a-z][a-z0-9_]*$/.test(name))
      throw new DefinitionError(
        `multiPartitions: dimension name ${JSON.stringify(name)} is invalid`,
        {
          hint: 'use lowercase letters, digits and _, starting with a letter',
        },
      );
    const kind = (partitions as { kind?: unknown } | null)?.kind;
    if (kind !== 'static' && kind !== 'dynamic' && kind !== 'time-window')
      throw new DefinitionError(
        `multiPartitions: dimension ${name} must be static, dynamic or time-window partitions`,
      );
  }
  return { kind: 'multi', dimensions: entries.map(([name, partitions]) => ({ name, partitions })) };
}

/** A multi-dimensional key of dimension keys (in declared order). */
export function joinDimensionKeys(keys: readonly PartitionKey[]): PartitionKey {
  return keys.join(DIMENSION_SEPARATOR);
}

/** The dimension keys of a multi-dimensional key. */
export function splitDimensionKeys(key: PartitionKey): PartitionKey[] {
  return key.split(DIMENSION_SEPARATOR);
}

/**
 * The dimension keys of a key of `partitions` by dimension name, e.g. in a compute function.
 *
 * @example
 * ```ts
 * const sales = asset({
 *   key: 'sales',
 *   partitions: byDayAndRegion, // multiPartitions({ date: …, region: … })
 *   schema: z.number(),
 *   compute: ({ partitionKey }) => {
 *     const { date, region } = dimensionKeysOf(byDayAndRegion, partitionKey!); // '2024-01-01', 'eu'
 *     return loadSales(date, region);
 *   },
 * });
 * ```
 */
export function dimensionKeysOf(
  partitions: MultiPartitions,
  key: PartitionKey,
): Record<string, PartitionKey> {
  const keys = splitDimensionKeys(key);
  if (keys.length !== partitions.dimensions.length)
    throw new DefinitionError(
      `partition key ${JSON.stringify(key)} has ${keys.length} dimension keys, but the partitions have ${partitions.dimensions.length} dimensions (${partitions.dimensions.map((d) => d.name).join(', ')})`,
    );
  return Object.fromEntries(partitions.dimensions.map((d, i) => [d.name, keys[i]!]));
}
