// `defineAssets()`: validates a set of asset definitions as a whole (unique keys, known
// dependencies, no cycles, compatible partition mappings, declared pools) and resolves mappings.
import { DefinitionError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import type { AssetKey } from './asset-key.js';
import type { AnyAssetDefinition, PartitionMapping } from './asset.js';
import { collectChecks, type CheckDefinition } from './asset-check.js';
import { partitionSetId } from './partitions.js';
import { resolveWindowMapping, type ResolvedDimension } from './resolve-window-mapping.js';
import {
  normalizeExecutor,
  type ExecutorDefinition,
  type SlurmExecutorDeclaration,
} from './slurm.js';
import type { StudyDefinition } from './study.js';
import type { ToolServerDefinition } from './tool-server.js';

/** A dependency with its partition mapping resolved. */
export interface ResolvedDependency {
  readonly inputName: string;
  readonly key: AssetKey;
  readonly mapping: PartitionMapping;
  /** Mappings `window` and `windows`: how each dimension of the dependency is read. */
  readonly dimensions?: readonly ResolvedDimension[];
}

/** A validated set of assets: what every other module works from. */
export interface Definitions {
  /** Assets by key, in key order. */
  readonly assets: ReadonlyMap<AssetKey, AnyAssetDefinition>;
  /** Resolved dependencies of each asset, in declaration order. */
  readonly dependencies: ReadonlyMap<AssetKey, readonly ResolvedDependency[]>;
  /** Concurrency pools: name -> maximum steps running at once across all workers. */
  readonly pools: ReadonlyMap<string, number>;
  /** The executor of each pool that declares one: the default of its assets (executorOf). */
  readonly poolExecutors: ReadonlyMap<string, ExecutorDefinition>;
  /** Tool servers compute functions may call through ctx.tools, by name. */
  readonly tools: ReadonlyMap<string, ToolServerDefinition>;
  /** Studies experiment plans may vary (docs/plans.md), by key. */
  readonly studies: ReadonlyMap<string, StudyDefinition>;
  /** The project's approval policy for experiment plans. */
  readonly planApprovals: PlanApprovalPolicy;
  /** Checks of each asset that has any, sorted by name (docs/semantics.md, "Asset checks"). */
  readonly checks: ReadonlyMap<AssetKey, readonly CheckDefinition[]>;
}

/** Who must approve an experiment plan before it runs (docs/plans.md). */
export interface PlanApprovalPolicy {
  /** Distinct approvers needed (default 1). */
  readonly required: number;
  /** Whether the one who proposed a plan may approve it (default true). */
  readonly selfApproval: boolean;
}

/** What a set of assets shares: concurrency pools and tool servers. */
export interface DefineAssetsOptions {
  /** Concurrency pools and their limits, e.g. `{ solver_licenses: 2 }`. */
  readonly pools?: Readonly<Record<string, number>>;
  /**
   * The executor of a pool's assets that declare none: `{ fea: slurm({ partition: 'fea' }) }`
   * runs every step of pool `fea` as a Slurm job.
   */
  readonly poolExecutors?: Readonly<Record<string, SlurmExecutorDeclaration>>;
  /** MCP tool servers by name, e.g. `{ cad: mcpStdioServer({ command: 'node', args: [...] }) }`. */
  readonly tools?: Readonly<Record<string, ToolServerDefinition>>;
  /** Studies experiment plans may vary, declared with study(). */
  readonly studies?: readonly StudyDefinition[];
  /** Approval policy of plans: `{ required: 2, selfApproval: false }` (defaults 1 and true). */
  readonly planApprovals?: Partial<PlanApprovalPolicy>;
  /** Checks of the assets' materializations, declared with check(). */
  readonly checks?: readonly CheckDefinition[];
}

function collectAssets(list: readonly AnyAssetDefinition[]): Map<AssetKey, AnyAssetDefinition> {
  const byKey = new Map<AssetKey, AnyAssetDefinition>();
  list.forEach((definition, index) => {
    if (!definition || definition.kind !== 'asset') {
      throw new DefinitionError(`defineAssets: item ${index} is not an asset() definition`);
    }
    const existing = byKey.get(definition.key);
    if (existing && existing !== definition) {
      throw new DefinitionError(
        `duplicate asset key ${definition.key}: two different assets are declared with it`,
        {
          hint: 'give each asset its own key',
        },
      );
    }
    byKey.set(definition.key, definition);
  });
  return new Map([...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function checkDependenciesExist(assets: ReadonlyMap<AssetKey, AnyAssetDefinition>): void {
  for (const definition of assets.values()) {
    for (const declared of definition.dependencyAssets) {
      const passed = assets.get(declared.key);
      if (passed && passed !== declared) {
        throw new DefinitionError(
          `duplicate asset key ${declared.key}: asset ${definition.key} depends on a different asset than the one passed to defineAssets() with that key`,
          {
            hint: 'give each asset its own key, and depend on the definition you pass to defineAssets()',
          },
        );
      }
    }
    for (const dep of definition.dependencies) {
      if (assets.has(dep.key)) continue;
      const declared = definition.dependencyAssets.some((d) => d.key === dep.key);
      if (declared) {
        throw new DefinitionError(
          `asset ${definition.key} depends on ${dep.key}, which was not passed to defineAssets()`,
          { hint: `add ${dep.key} to the list given to defineAssets()` },
        );
      }
      throw new DefinitionError(`asset ${definition.key} depends on unknown asset ${dep.key}`, {
        hint: didYouMean(dep.key, assets.keys()),
      });
    }
    const producer =
      definition.partitions?.kind === 'produced' ? definition.partitions.producer : undefined;
    if (producer && assets.get(producer.key) !== producer) {
      throw new DefinitionError(
        `asset ${definition.key} is partitioned by the output of ${producer.key}, which was not passed to defineAssets()`,
        { hint: `add ${producer.key} to the list given to defineAssets()` },
      );
    }
  }
}

/** Edges used for ordering: data dependencies plus "partitions produced by" edges. */
export function orderingEdges(definition: AnyAssetDefinition): AssetKey[] {
  const keys = definition.dependencies.map((d) => d.key);
  if (definition.partitions?.kind === 'produced') keys.push(definition.partitions.producer.key);
  return [...new Set(keys)].sort();
}

function checkAcyclic(assets: ReadonlyMap<AssetKey, AnyAssetDefinition>): void {
  const state = new Map<AssetKey, 'visiting' | 'done'>();
  const path: AssetKey[] = [];
  const visit = (key: AssetKey): void => {
    const current = state.get(key);
    if (current === 'done') return;
    if (current === 'visiting') {
      const cycle = [...path.slice(path.indexOf(key)), key];
      throw new DefinitionError(`dependency cycle: ${cycle.join(' -> ')}`, {
        hint: 'an asset cannot depend on itself, directly or through others',
      });
    }
    state.set(key, 'visiting');
    path.push(key);
    for (const dep of orderingEdges(assets.get(key)!)) visit(dep);
    path.pop();
    state.set(key, 'done');
  };
  for (const key of assets.keys()) visit(key);
}

function resolveMapping(
  dependant: AnyAssetDefinition,
  dependency: AnyAssetDefinition,
  declared: PartitionMapping | 'auto',
  inputName: string,
): PartitionMapping {
  const where = `asset ${dependant.key}, input ${inputName} (${dependency.key})`;
  if (declared === 'all') {
    if (!dependency.partitions) {
      throw new DefinitionError(
        `${where}: allPartitions() needs a partitioned dependency, but ${dependency.key} is not partitioned`,
        {
          hint: `depend on ${dependency.key} directly`,
        },
      );
    }
    return 'all';
  }
  if (declared === 'produced') return checkProducedMapping(where, dependant, dependency);
  if (!dependency.partitions) return 'single';
  if (!dependant.partitions) {
    throw new DefinitionError(
      `${where}: ${dependency.key} is partitioned but ${dependant.key} is not, so it cannot read one partition`,
      {
        hint: `use allPartitions(${dependency.key}) to read every partition`,
      },
    );
  }
  // A partition produced by a partitioned producer reads the producer's partition that made it.
  if (
    dependant.partitions.kind === 'produced' &&
    dependant.partitions.producer.key === dependency.key
  )
    return 'producer';
  if (partitionSetId(dependant.partitions) !== partitionSetId(dependency.partitions)) {
    throw new DefinitionError(
      `${where}: ${dependant.key} and ${dependency.key} have different partition sets, so partitions cannot be matched one to one`,
      {
        hint: `give both the same partitions, or use allPartitions(${dependency.key})`,
      },
    );
  }
  return 'identity';
}

/** producedBySamePartition(dep): dep is produced by a partitioned producer the dependant matches. */
function checkProducedMapping(
  where: string,
  dependant: AnyAssetDefinition,
  dependency: AnyAssetDefinition,
): PartitionMapping {
  const produced = dependency.partitions;
  if (produced?.kind !== 'produced' || !produced.producer.partitions)
    throw new DefinitionError(
      `${where}: producedBySamePartition() needs a dependency partitioned by what a partitioned producer produces, but ${dependency.key} is not`,
      { hint: `use allPartitions(${dependency.key}) to read every partition` },
    );
  const producer = produced.producer;
  if (
    !dependant.partitions ||
    partitionSetId(dependant.partitions) !== partitionSetId(producer.partitions!)
  )
    throw new DefinitionError(
      `${where}: producedBySamePartition() needs ${dependant.key} partitioned like ${producer.key}, the producer of ${dependency.key}'s partitions`,
      { hint: `give ${dependant.key} the partitions of ${producer.key}` },
    );
  return 'produced';
}

function checkProducers(assets: ReadonlyMap<AssetKey, AnyAssetDefinition>): void {
  for (const definition of assets.values()) {
    if (definition.partitions?.kind !== 'produced') continue;
    const producer = definition.partitions.producer;
    if (producer.partitions?.kind === 'produced') {
      throw new DefinitionError(
        `asset ${definition.key} is partitioned by the output of ${producer.key}, whose own partitions are produced by ${producer.partitions.producer.key}`,
        {
          hint: 'a partitioned producer must have static or dynamic partitions',
        },
      );
    }
  }
}

function checkPools(
  assets: ReadonlyMap<AssetKey, AnyAssetDefinition>,
  pools: ReadonlyMap<string, number>,
): void {
  for (const [name, limit] of pools) {
    if (!/^[a-z0-9_]+$/.test(name))
      throw new DefinitionError(
        `pool ${JSON.stringify(name)}: names are lowercase letters, digits and _`,
      );
    if (!Number.isInteger(limit) || limit < 1)
      throw new DefinitionError(`pool ${name}: limit must be a positive integer, got ${limit}`);
  }
  for (const definition of assets.values()) {
    if (definition.pool !== undefined && !pools.has(definition.pool)) {
      throw new DefinitionError(
        `asset ${definition.key} uses pool ${definition.pool}, which is not declared`,
        {
          hint:
            didYouMean(definition.pool, pools.keys()) ??
            `declare it: defineAssets([...], { pools: { ${definition.pool}: 1 } })`,
        },
      );
    }
  }
}

/**
 * Validates a set of assets as a whole (unique keys, known dependencies, no cycles, compatible
 * partitions, declared pools and tool servers) and resolves their partition mappings. The module
 * the `strata` command loads (`assets/index.ts` by default, or `--definitions PATH`) exports the
 * result as its default export.
 *
 * @example
 * ```ts
 * import { asset, defineAssets, mcpStdioServer } from 'strata';
 * import { z } from 'zod';
 *
 * const mesh = asset({
 *   key: 'mesh',
 *   schema: z.object({ meshId: z.string(), nodes: z.number() }),
 *   pool: 'mesher', // at most 2 meshing steps at once, across all workers
 *   compute: async ({ tools }) => {
 *     const result = await tools.call<{ id: string; nodes: number }>('mesher', 'mesh', { size: 2 });
 *     return { meshId: result.structured.id, nodes: result.structured.nodes };
 *   },
 * });
 *
 * export default defineAssets([mesh], {
 *   pools: { mesher: 2 },
 *   tools: { mesher: mcpStdioServer({ command: 'node', args: ['tools/mesher-server.js'] }) },
 * });
 * ```
 */
export function defineAssets(
  list: readonly AnyAssetDefinition[],
  options: DefineAssetsOptions = {},
): Definitions {
  if (!Array.isArray(list))
    throw new DefinitionError('defineAssets: expected an array of asset() definitions');
  const assets = collectAssets(list);
  checkDependenciesExist(assets);
  checkAcyclic(assets);
  checkProducers(assets);
  const pools = new Map(Object.entries(options.pools ?? {}));
  checkPools(assets, pools);
  const poolExecutors = normalizePoolExecutors(options.poolExecutors ?? {}, pools);
  const tools = new Map(Object.entries(options.tools ?? {}));
  for (const [name, server] of tools) {
    if (!/^[a-z0-9_]+$/.test(name))
      throw new DefinitionError(
        `tool server ${JSON.stringify(name)}: names are lowercase letters, digits and _`,
      );
    if (!server || (server.kind !== 'mcp-stdio' && server.kind !== 'mcp-http'))
      throw new DefinitionError(
        `tool server ${name}: declare it with mcpStdioServer({ command, args }) or mcpHttpServer({ url })`,
      );
  }
  const dependencies = new Map<AssetKey, ResolvedDependency[]>();
  for (const definition of assets.values()) {
    const seen = new Set<AssetKey>();
    dependencies.set(
      definition.key,
      definition.dependencies.map((dep) => {
        if (seen.has(dep.key)) {
          throw new DefinitionError(`asset ${definition.key} depends on ${dep.key} twice`, {
            hint: 'declare each dependency once',
          });
        }
        seen.add(dep.key);
        const windows = resolveWindowMapping(definition, assets.get(dep.key)!, dep);
        if (windows) return { inputName: dep.inputName, key: dep.key, ...windows };
        return {
          inputName: dep.inputName,
          key: dep.key,
          mapping: resolveMapping(definition, assets.get(dep.key)!, dep.mapping, dep.inputName),
        };
      }),
    );
  }
  const studies = checkStudies(options.studies ?? [], assets);
  const checks = collectChecks(options.checks ?? [], assets);
  return {
    assets,
    dependencies,
    pools,
    poolExecutors,
    tools,
    studies,
    planApprovals: approvalPolicy(options),
    checks,
  };
}

function normalizePoolExecutors(
  declared: Readonly<Record<string, SlurmExecutorDeclaration>>,
  pools: ReadonlyMap<string, number>,
): Map<string, ExecutorDefinition> {
  const executors = new Map<string, ExecutorDefinition>();
  for (const [pool, declaration] of Object.entries(declared)) {
    if (!pools.has(pool))
      throw new DefinitionError(`poolExecutors.${pool}: pool ${pool} is not declared`, {
        hint:
          didYouMean(pool, pools.keys()) ??
          `declare it: defineAssets([...], { pools: { ${pool}: 1 } })`,
      });
    executors.set(pool, normalizeExecutor(declaration, `pool ${pool}: executor`)!);
  }
  return executors;
}

/** Where an asset's compute runs: its own executor, else its pool's, else undefined (in process). */
export function executorOf(
  definitions: Pick<Definitions, 'poolExecutors'>,
  definition: AnyAssetDefinition,
): ExecutorDefinition | undefined {
  if (definition.executor !== undefined) return definition.executor;
  return definition.pool === undefined ? undefined : definitions.poolExecutors.get(definition.pool);
}

function approvalPolicy(options: DefineAssetsOptions): PlanApprovalPolicy {
  const required = options.planApprovals?.required ?? 1;
  if (!Number.isInteger(required) || required < 1 || required > 10)
    throw new DefinitionError(
      `defineAssets: planApprovals.required must be an integer from 1 to 10, got ${required}`,
    );
  return { required, selfApproval: options.planApprovals?.selfApproval ?? true };
}

/** A study's DOE asset: one of its assets, with dynamic partitions (one per executed plan). */
function checkStudyDesigns(
  study: StudyDefinition,
  assets: ReadonlyMap<AssetKey, AnyAssetDefinition>,
): void {
  if (study.designs === undefined) return;
  const where = `study ${study.key}: designs ${JSON.stringify(study.designs)}`;
  if (!study.assets.includes(study.designs))
    throw new DefinitionError(`${where} is not one of the study's assets`, {
      hint: 'list it in assets too',
    });
  if (assets.get(study.designs as AssetKey)!.partitions?.kind !== 'dynamic')
    throw new DefinitionError(`${where} must have dynamic partitions: one per executed plan`, {
      hint: "partitions: dynamicPartitions('plans', { initialKeys: ['baseline'] })",
    });
}

/** Studies by key: keys unique, every asset of a study declared. */
function checkStudies(
  list: readonly StudyDefinition[],
  assets: ReadonlyMap<AssetKey, AnyAssetDefinition>,
): Map<string, StudyDefinition> {
  const studies = new Map<string, StudyDefinition>();
  for (const declared of list) {
    if (declared?.kind !== 'study')
      throw new DefinitionError(
        'defineAssets: studies are declared with study({ key, variables, assets })',
      );
    if (studies.has(declared.key))
      throw new DefinitionError(`study ${declared.key} is declared twice`);
    for (const key of declared.assets)
      if (!assets.has(key as AssetKey))
        throw new DefinitionError(`study ${declared.key}: unknown asset ${JSON.stringify(key)}`, {
          hint: didYouMean(key, assets.keys()) ?? 'list the assets of its pipeline',
        });
    checkStudyDesigns(declared, assets);
    studies.set(declared.key, declared);
  }
  return studies;
}
