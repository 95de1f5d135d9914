// Reads what a batch of steps consumes, in one query: the latest materialization of each
// dependency partition (for the just-in-time check and provenance) and of each step's own
// partition; values are read separately, only for the steps that compute.
import { sql, type Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import {
  dependencyPartitions,
  formatAssetPartition,
  isFanInMapping,
  type AssetGraph,
} from '../graph/index.js';
import { resolvePartitionSets, type PartitionSet } from '../planner/index.js';
import type { RecordedInput } from '../provenance/index.js';
import type { Database } from '../store/index.js';

/** The latest materialization of a step's own asset partition. */
export interface OwnLatest {
  readonly materializationId: number;
  readonly inputHash: string;
  readonly codeVersion: string;
  readonly partitionKeys: string[] | null;
}

/** The consumed inputs of a step now, the dependency partitions that are missing, and its latest. */
export interface StepInputs {
  readonly inputs: readonly RecordedInput[];
  readonly missing: readonly string[];
  readonly latest: OwnLatest | undefined;
  /** The inputs' stored values, when they were asked for. */
  readonly values: ReadonlyMap<number, StoredValue> | undefined;
}

interface WantedInput {
  readonly inputName: string;
  readonly depKey: AssetKey;
  readonly depPartition: PartitionKey;
}

/** The key of an asset partition in the maps of this file. */
export const pairKey = (key: string, partition: string): string => `${key}\u0000${partition}`;

/**
 * An output not yet in the database: recorded by the same completion as the step that reads it
 * (chain fusion, fuse-chain.ts). `materializationId` stands for it until then.
 */
export interface PendingOutput {
  readonly materializationId: number;
  readonly dataVersion: string;
  readonly value: unknown;
}

/** What a chain fusion already knows (fuse-chain.ts), so the database is not asked again. */
export interface KnownInputs {
  /** Outputs recorded by the same completion as the steps reading them, by pairKey. */
  readonly pending: ReadonlyMap<string, PendingOutput>;
  /** The latest materialization of a step's own partition (null: none), by pairKey. */
  readonly latest: ReadonlyMap<string, OwnLatest | null>;
}

const NOTHING_KNOWN: KnownInputs = { pending: new Map(), latest: new Map() };

/**
 * Loads the inputs of every (asset, partition) in `steps` with one query (two with fan-ins);
 * with `withValues` (when the steps will almost surely compute) their values come along. What
 * `known` holds is taken from there instead of the database (no query when it holds it all).
 */
export async function loadStepInputs(
  db: Kysely<Database>,
  graph: AssetGraph,
  steps: readonly { readonly key: AssetKey; readonly partition: PartitionKey }[],
  withValues = false,
  known: KnownInputs = NOTHING_KNOWN,
): Promise<StepInputs[]> {
  const { pending } = known;
  // Mappings that read the database's partition sets: fan-ins and window offsets (of the
  // dependency's set) and the producer mapping (of the step's own set).
  const setsNeeded = new Set<AssetKey>();
  for (const step of steps)
    for (const dep of graph.node(step.key).dependencies)
      if (isFanInMapping(dep.mapping) || dep.mapping === 'window') setsNeeded.add(dep.key);
      else if (dep.mapping === 'producer') setsNeeded.add(step.key);
  const sets: ReadonlyMap<AssetKey, PartitionSet> =
    setsNeeded.size > 0 ? await resolvePartitionSets(db, graph, setsNeeded) : new Map();
  const wanted: WantedInput[][] = steps.map((step) =>
    graph
      .node(step.key)
      .dependencies.flatMap((dep) =>
        dependencyPartitions(dep, step.partition, sets.get(dep.key), sets.get(step.key)).map(
          (depPartition) => ({ inputName: dep.inputName, depKey: dep.key, depPartition }),
        ),
      ),
  );
  const lookup = new Map<string, [string, string]>();
  for (const step of steps)
    if (!known.latest.has(pairKey(step.key, step.partition)))
      lookup.set(pairKey(step.key, step.partition), [step.key, step.partition]);
  for (const list of wanted)
    for (const w of list)
      if (!pending.has(pairKey(w.depKey, w.depPartition)))
        lookup.set(pairKey(w.depKey, w.depPartition), [w.depKey, w.depPartition]);
  const pairs = [...lookup.values()];
  type Row = {
    asset_key: string;
    partition_key: string;
    materialization_id: number;
    data_version: string;
    input_hash: string;
    code_version: string;
    partition_keys: string[] | null;
    value: unknown;
    value_artifact: string | null;
  };
  const rows =
    pairs.length === 0
      ? { rows: [] as Row[] }
      : await sql<Row>`
    select l.asset_key, l.partition_key, l.materialization_id, l.data_version, l.input_hash, l.code_version, m.partition_keys,
      case when ${withValues} then m.value end as value, m.value_artifact
    from unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[]) as w(k, p)
    join strata_internal.latest_materializations l on l.asset_key = w.k and l.partition_key = w.p
    join strata_internal.materializations m on m.id = l.materialization_id`.execute(db);
  const found = new Map(rows.rows.map((row) => [pairKey(row.asset_key, row.partition_key), row]));
  const input = (key: string, partition: string): StoredInput | undefined => {
    const output = pending.get(pairKey(key, partition));
    if (output !== undefined) return { ...output, valueArtifact: null };
    const row = found.get(pairKey(key, partition));
    return (
      row && {
        materializationId: row.materialization_id,
        dataVersion: row.data_version,
        value: row.value,
        valueArtifact: row.value_artifact,
      }
    );
  };
  return steps.map((step, index) => {
    const inputs: RecordedInput[] = [];
    const missing: string[] = [];
    for (const w of wanted[index]!) {
      const row = input(w.depKey, w.depPartition);
      if (!row) missing.push(formatAssetPartition(w.depKey, w.depPartition));
      else
        inputs.push({
          inputName: w.inputName,
          depKey: w.depKey,
          depPartition: w.depPartition,
          dataVersion: row.dataVersion,
          materializationId: row.materializationId,
        });
    }
    const own = found.get(pairKey(step.key, step.partition));
    const knownLatest = known.latest.get(pairKey(step.key, step.partition));
    const values = withValues
      ? new Map(
          inputs.map(({ depKey, depPartition, materializationId }) => {
            const { value, valueArtifact } = input(depKey, depPartition)!;
            return [materializationId, { value, valueArtifact }] as const;
          }),
        )
      : undefined;
    return {
      inputs,
      missing,
      values,
      latest:
        knownLatest !== undefined
          ? (knownLatest ?? undefined)
          : own && {
              materializationId: own.materialization_id,
              inputHash: own.input_hash,
              codeVersion: own.code_version,
              partitionKeys: own.partition_keys,
            },
    };
  });
}

/** A stored value: inline JSON or the hash of an artifact holding it. */
export interface StoredValue {
  readonly value: unknown;
  readonly valueArtifact: string | null;
}

/** An input's materialization as the decision needs it. */
interface StoredInput extends StoredValue {
  readonly materializationId: number;
  readonly dataVersion: string;
}

/** Loads the stored values of materializations by id. */
export async function loadStoredValues(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, StoredValue>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('strata_internal.materializations')
    .select(['id', 'value', 'value_artifact'])
    .where('id', '=', (eb) => eb.fn.any(eb.val([...new Set(ids)])))
    .execute();
  return new Map(
    rows.map((row) => [row.id, { value: row.value, valueArtifact: row.value_artifact }]),
  );
}

/**
 * Builds `ctx.inputs`: one value per input name, or a record partition -> value for fan-in
 * inputs. `resolve` turns a stored value into the value (reading artifacts when needed).
 */
export async function buildInputValues(
  graph: AssetGraph,
  key: AssetKey,
  inputs: readonly RecordedInput[],
  values: ReadonlyMap<number, StoredValue>,
  resolve: (stored: StoredValue) => Promise<unknown>,
): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  const fanIn = new Set(
    graph
      .node(key)
      .dependencies.filter((d) => isFanInMapping(d.mapping))
      .map((d) => d.inputName),
  );
  for (const name of fanIn) result[name] = {};
  for (const input of inputs) {
    const value = await resolve(values.get(input.materializationId)!);
    if (fanIn.has(input.inputName))
      (result[input.inputName] as Record<string, unknown>)[input.depPartition] = value;
    else result[input.inputName] = value;
  }
  for (const name of fanIn) Object.freeze(result[name]);
  return result;
}
