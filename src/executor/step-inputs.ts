// Reads what a step consumes: the latest materialization of each dependency partition (for the
// just-in-time check and provenance) and, only when computing, their values.
import { sql, type Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { dependencyPartitions, formatAssetPartition, type AssetGraph } from '../graph/index.js';
import { resolvePartitionSets } from '../planner/index.js';
import type { RecordedInput } from '../provenance/index.js';
import type { Database } from '../store/index.js';

/** The consumed inputs of a step now, or the dependency partitions that are missing. */
export interface StepInputs {
  readonly inputs: readonly RecordedInput[];
  readonly missing: readonly string[];
}

interface WantedInput {
  readonly inputName: string;
  readonly depKey: AssetKey;
  readonly depPartition: PartitionKey;
}

async function wantedInputs(db: Kysely<Database>, graph: AssetGraph, key: AssetKey, partition: PartitionKey): Promise<WantedInput[]> {
  const node = graph.node(key);
  const fanIn = node.dependencies.filter((d) => d.mapping === 'all').map((d) => d.key);
  const sets = fanIn.length > 0 ? await resolvePartitionSets(db, graph, fanIn) : new Map();
  return node.dependencies.flatMap((dep) =>
    dependencyPartitions(dep, partition, sets.get(dep.key)?.keys ?? []).map((depPartition) => ({ inputName: dep.inputName, depKey: dep.key, depPartition })),
  );
}

/** The latest materialization of every dependency partition `key[partition]` reads. */
export async function loadStepInputs(db: Kysely<Database>, graph: AssetGraph, key: AssetKey, partition: PartitionKey): Promise<StepInputs> {
  const wanted = await wantedInputs(db, graph, key, partition);
  if (wanted.length === 0) return { inputs: [], missing: [] };
  const rows = await sql<{ asset_key: string; partition_key: string; materialization_id: number; data_version: string }>`
    select l.asset_key, l.partition_key, l.materialization_id, l.data_version
    from unnest(${wanted.map((w) => w.depKey)}::text[], ${wanted.map((w) => w.depPartition)}::text[]) as w(k, p)
    join strata_internal.latest_materializations l on l.asset_key = w.k and l.partition_key = w.p`.execute(db);
  const found = new Map(rows.rows.map((row) => [`${row.asset_key}\u0000${row.partition_key}`, row]));
  const inputs: RecordedInput[] = [];
  const missing: string[] = [];
  for (const w of wanted) {
    const row = found.get(`${w.depKey}\u0000${w.depPartition}`);
    if (!row) missing.push(formatAssetPartition(w.depKey, w.depPartition));
    else inputs.push({ inputName: w.inputName, depKey: w.depKey, depPartition: w.depPartition, dataVersion: row.data_version, materializationId: row.materialization_id });
  }
  return { inputs, missing };
}

/** A stored value: inline JSON or the hash of an artifact holding it. */
export interface StoredValue {
  readonly value: unknown;
  readonly valueArtifact: string | null;
}

/** Loads the stored values of materializations by id. */
export async function loadStoredValues(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, StoredValue>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('strata_internal.materializations')
    .select(['id', 'value', 'value_artifact'])
    .where('id', '=', (eb) => eb.fn.any(eb.val([...new Set(ids)])))
    .execute();
  return new Map(rows.map((row) => [row.id, { value: row.value, valueArtifact: row.value_artifact }]));
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
  const fanIn = new Set(graph.node(key).dependencies.filter((d) => d.mapping === 'all').map((d) => d.inputName));
  for (const name of fanIn) result[name] = {};
  for (const input of inputs) {
    const value = await resolve(values.get(input.materializationId)!);
    if (fanIn.has(input.inputName)) (result[input.inputName] as Record<string, unknown>)[input.depPartition] = value;
    else result[input.inputName] = value;
  }
  for (const name of fanIn) Object.freeze(result[name]);
  return result;
}
