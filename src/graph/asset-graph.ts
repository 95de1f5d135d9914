// The resolved asset graph: nodes with their resolved dependencies and dependants, a
// deterministic topological order, and upstream/downstream walks. Pure: no I/O.
import { DirectedGraph } from 'graphology';
import {
  orderingEdges,
  type AnyAssetDefinition,
  type AssetKey,
  type CheckDefinition,
  type Definitions,
  type ResolvedDependency,
} from '../definitions/index.js';
import { NotFoundError } from '../errors.js';
import { didYouMean } from '../util/closest.js';

const NO_CHECKS: readonly CheckDefinition[] = [];

/** One asset in the graph. */
export interface AssetNode {
  readonly key: AssetKey;
  readonly definition: AnyAssetDefinition;
  /** Data dependencies with resolved partition mappings, in declaration order. */
  readonly dependencies: readonly ResolvedDependency[];
  /** Assets that depend on this one (data or partition-producer edges), sorted. */
  readonly dependants: readonly AssetKey[];
  /** The asset whose output defines this asset's partitions, if any. */
  readonly partitionProducer: AssetKey | undefined;
  /** Position in the topological order. */
  readonly order: number;
}

/** The asset graph built from validated definitions. */
export class AssetGraph {
  readonly definitions: Definitions;
  /** graphology view of the graph (nodes are asset keys; edges point dependency -> dependant). */
  readonly graph: DirectedGraph;
  readonly #nodes = new Map<AssetKey, AssetNode>();
  readonly #order: AssetKey[];
  readonly #partitionedBy = new Map<AssetKey, AssetKey[]>();

  constructor(definitions: Definitions) {
    this.definitions = definitions;
    this.graph = new DirectedGraph();
    for (const key of definitions.assets.keys()) this.graph.addNode(key);
    for (const definition of definitions.assets.values()) {
      for (const dep of orderingEdges(definition)) this.graph.mergeEdge(dep, definition.key);
    }
    this.#order = layeredTopologicalOrder(this.graph);
    this.#order.forEach((key, order) => {
      const definition = definitions.assets.get(key)!;
      this.#nodes.set(key, {
        key,
        definition,
        dependencies: definitions.dependencies.get(key) ?? [],
        dependants: (this.graph.outNeighbors(key) as AssetKey[]).sort(),
        partitionProducer:
          definition.partitions?.kind === 'produced'
            ? definition.partitions.producer.key
            : undefined,
        order,
      });
      if (definition.partitions?.kind === 'produced') {
        const producer = definition.partitions.producer.key;
        this.#partitionedBy.set(producer, [...(this.#partitionedBy.get(producer) ?? []), key]);
      }
    });
  }

  /** Every asset key in topological order (dependencies first, ties broken by key). */
  get order(): readonly AssetKey[] {
    return this.#order;
  }

  get size(): number {
    return this.#order.length;
  }

  has(key: string): key is AssetKey {
    return this.#nodes.has(key as AssetKey);
  }

  /** The node of `key`, or a NotFoundError suggesting the closest key. */
  node(key: string): AssetNode {
    const node = this.#nodes.get(key as AssetKey);
    if (!node) {
      throw new NotFoundError(`unknown asset ${key}`, {
        hint: didYouMean(key, this.#nodes.keys()) ?? 'run `strata status` to list the assets',
      });
    }
    return node;
  }

  nodes(): IterableIterator<AssetNode> {
    return this.#nodes.values();
  }

  /** Keys upstream of `key` (not including it) within `depth` levels (Infinity for all). */
  upstream(key: AssetKey, depth = Infinity): Set<AssetKey> {
    return this.#walk(key, depth, (k) => this.graph.inNeighbors(k) as AssetKey[]);
  }

  /**
   * `keys` and everything upstream of them, in one walk (linear in the closure's edges however
   * many keys are given; a walk per key would be quadratic on large graphs).
   */
  withUpstream(keys: Iterable<AssetKey>): Set<AssetKey> {
    const closure = new Set<AssetKey>();
    const stack: AssetKey[] = [];
    for (const key of keys) {
      this.node(key);
      if (!closure.has(key)) {
        closure.add(key);
        stack.push(key);
      }
    }
    while (stack.length > 0) {
      this.graph.forEachInNeighbor(stack.pop()!, (neighbour) => {
        if (!closure.has(neighbour as AssetKey)) {
          closure.add(neighbour as AssetKey);
          stack.push(neighbour as AssetKey);
        }
      });
    }
    return closure;
  }

  /** Keys downstream of `key` (not including it) within `depth` levels (Infinity for all). */
  downstream(key: AssetKey, depth = Infinity): Set<AssetKey> {
    return this.#walk(key, depth, (k) => this.graph.outNeighbors(k) as AssetKey[]);
  }

  /** The checks of `key`'s materializations, sorted by name (none: empty). */
  checksOf(key: AssetKey): readonly CheckDefinition[] {
    return this.definitions.checks.get(key) ?? NO_CHECKS;
  }

  /** Whether `key` has a blocking check. */
  hasBlockingCheck(key: AssetKey): boolean {
    return this.checksOf(key).some((c) => c.blocking);
  }

  /** Assets whose partition set is produced by `key`, in topological order. */
  partitionedBy(key: AssetKey): readonly AssetKey[] {
    return this.#partitionedBy.get(key) ?? [];
  }

  /** Sorts keys into topological order. */
  sortTopologically(keys: Iterable<AssetKey>): AssetKey[] {
    return [...new Set(keys)].sort((a, b) => this.node(a).order - this.node(b).order);
  }

  #walk(start: AssetKey, depth: number, next: (key: AssetKey) => AssetKey[]): Set<AssetKey> {
    this.node(start);
    const seen = new Set<AssetKey>();
    let frontier: AssetKey[] = [start];
    for (let level = 0; level < depth && frontier.length > 0; level++) {
      const following: AssetKey[] = [];
      for (const key of frontier) {
        for (const neighbour of next(key)) {
          if (!seen.has(neighbour) && neighbour !== start) {
            seen.add(neighbour);
            following.push(neighbour);
          }
        }
      }
      frontier = following;
    }
    return seen;
  }
}

/**
 * Topological order by layers: each layer holds the nodes whose dependencies all lie in earlier
 * layers, sorted by key, so the order is deterministic and shallow assets come first.
 */
function layeredTopologicalOrder(graph: DirectedGraph): AssetKey[] {
  const remaining = new Map<string, number>();
  graph.forEachNode((key) => remaining.set(key, graph.inDegree(key)));
  let layer = [...remaining]
    .filter(([, degree]) => degree === 0)
    .map(([key]) => key)
    .sort();
  const order: AssetKey[] = [];
  while (layer.length > 0) {
    order.push(...(layer as AssetKey[]));
    const next: string[] = [];
    for (const key of layer) {
      for (const dependant of graph.outNeighbors(key)) {
        const degree = remaining.get(dependant)! - 1;
        remaining.set(dependant, degree);
        if (degree === 0) next.push(dependant);
      }
    }
    layer = next.sort();
  }
  return order;
}

/** Builds the graph of validated definitions. */
export function buildAssetGraph(definitions: Definitions): AssetGraph {
  return new AssetGraph(definitions);
}
