// Partition sets an asset can be split into: a static list, a dynamic set that grows at run
// time, or the set produced by another asset's output (e.g. one partition per DOE design point).
import { DefinitionError } from '../errors.js';
import { partitionKeyProblem, type PartitionKey } from './asset-key.js';
import type { AnyAssetDefinition } from './asset.js';
import { functionSource } from './function-source.js';
import { DIMENSION_SEPARATOR, type MultiPartitions } from './multi-partitions.js';
import { describeTimeWindows, type TimeWindowPartitions } from './time-window-partitions.js';

/** A fixed list of partition keys known when the definitions load. */
export interface StaticPartitions {
  readonly kind: 'static';
  readonly keys: readonly PartitionKey[];
}

/** A named set whose keys are added at run time (`addDynamicPartitions`). */
export interface DynamicPartitions {
  readonly kind: 'dynamic';
  readonly name: string;
  /** Keys the set always has, before any is added at run time (e.g. a study's `baseline`). */
  readonly initialKeys: readonly PartitionKey[];
}

/** The set of keys produced by another asset: its latest value decides the partitions. */
export interface ProducedPartitions {
  readonly kind: 'produced';
  /** The (unpartitioned) asset whose output defines the keys. */
  readonly producer: AnyAssetDefinition;
  /** Maps the producer's value to partition keys; must be deterministic. */
  readonly keysOf: (value: unknown) => readonly PartitionKey[];
}

/**
 * How an asset is partitioned: a fixed list, a named dynamic set, keys another asset produces,
 * windows of time, or combinations of several of these along named dimensions.
 */
export type PartitionsDefinition =
  | StaticPartitions
  | DynamicPartitions
  | ProducedPartitions
  | TimeWindowPartitions
  | MultiPartitions;

function checkKeys(keys: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const key of keys) {
    const problem = partitionKeyProblem(key);
    if (problem)
      throw new DefinitionError(
        `${where}: partition key ${JSON.stringify(key)} is invalid: ${problem}`,
      );
    if (key.includes(DIMENSION_SEPARATOR))
      throw new DefinitionError(
        `${where}: partition key ${JSON.stringify(key)} contains ${DIMENSION_SEPARATOR}, which only separates the keys of multiPartitions() dimensions`,
      );
    if (seen.has(key))
      throw new DefinitionError(`${where}: partition key ${JSON.stringify(key)} appears twice`);
    seen.add(key);
  }
}

/** A static partition set, e.g. `staticPartitions(['steel', 'aluminium'])`. */
export function staticPartitions(keys: readonly string[]): StaticPartitions {
  checkKeys(keys, 'staticPartitions');
  if (keys.length === 0) throw new DefinitionError('staticPartitions: the list of keys is empty');
  return { kind: 'static', keys: [...keys] };
}

/**
 * A dynamic partition set identified by `name`; keys are added with `addDynamicPartitions` (or,
 * for a study's plans, by executing an approved plan). `initialKeys` are in the set from the
 * start.
 */
export function dynamicPartitions(
  name: string,
  options: { readonly initialKeys?: readonly string[] } = {},
): DynamicPartitions {
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new DefinitionError(`dynamicPartitions: invalid name ${JSON.stringify(name)}`, {
      hint: 'use lowercase letters, digits and _',
    });
  }
  const initialKeys = [...(options.initialKeys ?? [])];
  checkKeys(initialKeys, `dynamicPartitions(${JSON.stringify(name)}).initialKeys`);
  return { kind: 'dynamic', name, initialKeys };
}

/**
 * Partitions produced by `producer`: whenever it materializes, `keysOf(value)` becomes the
 * partition set of every asset declared with this definition.
 */
export function producedPartitions<Value>(
  producer: AnyAssetDefinition & { readonly __value?: Value },
  keysOf: (value: Value) => readonly string[],
): ProducedPartitions {
  return { kind: 'produced', producer, keysOf: keysOf as (value: unknown) => readonly string[] };
}

/** Validates keys produced at run time, naming the producer on failure. */
export function validateProducedKeys(producerKey: string, keys: readonly string[]): void {
  checkKeys(keys, `partitions produced by ${producerKey}`);
}

/** A stable identity of a partition set, used to decide whether two assets share one. */
export function partitionSetId(partitions: PartitionsDefinition): string {
  switch (partitions.kind) {
    case 'static':
      return `static:${JSON.stringify(partitions.keys)}`;
    case 'dynamic':
      return `dynamic:${partitions.name}`;
    case 'produced':
      return `produced:${partitions.producer.key}`;
    case 'time-window':
    case 'multi':
      return `${partitions.kind}:${JSON.stringify(describePartitions(partitions))}`;
  }
}

/** A JSON description of a partition set, for snapshots and code-version hashing. */
export function describePartitions(partitions: PartitionsDefinition | undefined): unknown {
  if (!partitions) return null;
  switch (partitions.kind) {
    case 'static':
      return { kind: 'static', keys: partitions.keys };
    case 'dynamic':
      return partitions.initialKeys.length === 0
        ? { kind: 'dynamic', name: partitions.name }
        : { kind: 'dynamic', name: partitions.name, initialKeys: partitions.initialKeys };
    case 'produced':
      return {
        kind: 'produced',
        producer: partitions.producer.key,
        keysOf: functionSource(partitions.keysOf),
      };
    case 'time-window':
      return describeTimeWindows(partitions);
    case 'multi':
      return {
        kind: 'multi',
        dimensions: partitions.dimensions.map((d) => [d.name, describePartitions(d.partitions)]),
      };
  }
}
