// Instance-level lineage: which exact materializations fed which, walked upstream or downstream
// from one materialization over strata_internal.materialization_inputs.
//
// Strategy (the closure of one node in a 1,000,000-edge graph must come back in <= 50 ms):
// - Unlimited depth: ONE recursive CTE whose rows are bare ids combined with UNION. PostgreSQL
//   deduplicates a recursive UNION against every row produced so far with a hash table, so that
//   table IS the visited set: each materialization is expanded exactly once, whatever the number
//   of paths to it, and the whole walk is one round trip however deep the graph is (a level-by-
//   level walk pays one round trip per level, which dominates on deep chains). Carrying the
//   depth in the CTE would defeat the deduplication (the same id at two depths is two rows), so
//   depths are computed afterwards by an in-memory BFS over the returned edges.
// - Limited depth: level-by-level set-based queries (`= any($frontier)`, one per level) with the
//   visited set in memory. The number of round trips is bounded by the requested depth, and it
//   never reads past it (the unlimited CTE cannot stop at a depth without carrying it).
// Both walks use an index per step: the primary key (materialization_id, ...) upstream and
// materialization_inputs_dep_idx downstream. Measured on 975,000 edges (1,000 lanes of 40
// levels x 5 materializations, each reading the 5 of the level below), the upstream closure of
// a lane's top (196 nodes, 955 edges) takes 7.7 ms with the CTE and 14.4 ms level by level.
// Node rows come from one more query (`id = any($ids)`).
import { sql, type Kysely } from 'kysely';
import { NotFoundError, UsageError } from '../errors.js';
import type { Database } from '../store/index.js';
import { loadRunPlans, type RunPlan } from './run-plans.js';

/** Which way to walk: towards the inputs (upstream) or the consumers (downstream). */
export type LineageDirection = 'upstream' | 'downstream';

/** One materialization in a lineage walk. */
export interface LineageNode {
  readonly materializationId: number;
  readonly assetKey: string;
  /** null for an unpartitioned asset. */
  readonly partitionKey: string | null;
  readonly dataVersion: string;
  readonly codeVersion: string;
  readonly runId: number | null;
  readonly materializedAt: Date;
  /** Distance from the start (0 for the start itself, 1 for a direct input or consumer). */
  readonly depth: number;
}

/** One input edge: materialization `from` was consumed by `to` as its input `inputName`. */
export interface LineageEdge {
  readonly from: number;
  readonly to: number;
  readonly inputName: string;
}

/** The result of a lineage walk: nodes sorted by depth then id, edges sorted by (to, from). */
export interface Lineage {
  readonly root: number;
  readonly direction: LineageDirection;
  /** The depth limit applied, or null for unlimited. */
  readonly depth: number | null;
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
  /** The experiment plans whose runs made nodes, with their approvals (docs/plans.md). */
  readonly plans: readonly (RunPlan & { readonly runIds: readonly number[] })[];
}

/** What to walk. */
export interface LineageQuery {
  readonly materializationId: number;
  readonly direction: LineageDirection;
  /** Levels to walk (1 = direct inputs or consumers only); unlimited when omitted. */
  readonly depth?: number;
}

interface EdgeRow {
  materialization_id: number;
  dep_materialization_id: number;
  input_name: string;
}

interface NodeRow {
  id: number;
  asset_key: string;
  partition_key: string;
  data_version: string;
  code_version: string;
  run_id: number | null;
  finished_at: Date;
}

/** Walks the lineage of one materialization; NotFoundError when it does not exist. */
export async function loadLineage(db: Kysely<Database>, query: LineageQuery): Promise<Lineage> {
  const { materializationId: root, direction } = query;
  const depth = query.depth ?? null;
  if (depth !== null && (!Number.isInteger(depth) || depth < 0)) {
    throw new UsageError(`lineage depth must be a non-negative integer, got ${depth}`);
  }
  const edgeRows =
    depth === null
      ? await walkAll(db, root, direction)
      : await walkLevels(db, root, direction, depth);
  const edges = edgeRows.map((row) => ({
    from: row.dep_materialization_id,
    to: row.materialization_id,
    inputName: row.input_name,
  }));
  const depths = depthsFrom(root, direction, edges, depth);
  const nodeRows = await db
    .selectFrom('strata_internal.materializations')
    .select([
      'id',
      'asset_key',
      'partition_key',
      'data_version',
      'code_version',
      'run_id',
      'finished_at',
    ])
    .where('id', '=', (eb) => eb.fn.any(eb.val([...depths.keys()])))
    .execute();
  if (!nodeRows.some((row) => row.id === root)) {
    throw new NotFoundError(`materialization #${root} does not exist`, {
      hint: 'list materializations with `strata status`, or name an asset partition: KEY or KEY[PART]',
    });
  }
  const nodes = nodeRows
    .map((row) => toNode(row, depths.get(row.id)!))
    .sort((a, b) => a.depth - b.depth || a.materializationId - b.materializationId);
  const kept = edges
    .filter((edge) => depths.has(edge.from) && depths.has(edge.to))
    .sort((a, b) => a.to - b.to || a.from - b.from);
  return { root, direction, depth, nodes, edges: kept, plans: await plansOf(db, nodes) };
}

/** The plans behind the nodes' runs, each with the runs of it that made nodes. */
async function plansOf(db: Kysely<Database>, nodes: readonly LineageNode[]) {
  const runIds = nodes.flatMap((node) => (node.runId === null ? [] : [node.runId]));
  const byRun = await loadRunPlans(db, runIds);
  const plans = new Map<string, RunPlan & { runIds: number[] }>();
  for (const [runId, plan] of [...byRun].sort((a, b) => a[0] - b[0])) {
    const entry = plans.get(plan.id) ?? { ...plan, runIds: [] };
    entry.runIds.push(runId);
    plans.set(plan.id, entry);
  }
  return [...plans.values()];
}

/** The whole closure in one recursive query (see the file comment), as input edges. */
async function walkAll(
  db: Kysely<Database>,
  root: number,
  direction: LineageDirection,
): Promise<EdgeRow[]> {
  const query =
    direction === 'upstream'
      ? sql<EdgeRow>`
          with recursive walk(id) as (
            select ${root}::bigint
            union
            select i.dep_materialization_id
            from walk w
            join strata_internal.materialization_inputs i on i.materialization_id = w.id
          )
          select i.materialization_id, i.dep_materialization_id, i.input_name
          from walk w
          join strata_internal.materialization_inputs i on i.materialization_id = w.id`
      : sql<EdgeRow>`
          with recursive walk(id) as (
            select ${root}::bigint
            union
            select i.materialization_id
            from walk w
            join strata_internal.materialization_inputs i on i.dep_materialization_id = w.id
          )
          select i.materialization_id, i.dep_materialization_id, i.input_name
          from walk w
          join strata_internal.materialization_inputs i on i.dep_materialization_id = w.id`;
  return (await query.execute(db)).rows;
}

/** At most `depth` levels, one set-based query per level, visited set in memory. */
async function walkLevels(
  db: Kysely<Database>,
  root: number,
  direction: LineageDirection,
  depth: number,
): Promise<EdgeRow[]> {
  const visited = new Set<number>([root]);
  const edges: EdgeRow[] = [];
  let frontier = [root];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const near = direction === 'upstream' ? 'materialization_id' : 'dep_materialization_id';
    const rows = await db
      .selectFrom('strata_internal.materialization_inputs')
      .select(['materialization_id', 'dep_materialization_id', 'input_name'])
      .where(near, '=', (eb) => eb.fn.any(eb.val(frontier)))
      .execute();
    const next: number[] = [];
    for (const row of rows) {
      edges.push(row);
      const far = direction === 'upstream' ? row.dep_materialization_id : row.materialization_id;
      if (!visited.has(far)) {
        visited.add(far);
        next.push(far);
      }
    }
    frontier = next;
  }
  return edges;
}

/** Shortest distance of every reachable node from the root, within `limit` levels. */
function depthsFrom(
  root: number,
  direction: LineageDirection,
  edges: readonly LineageEdge[],
  limit: number | null,
): Map<number, number> {
  const next = new Map<number, number[]>();
  for (const edge of edges) {
    const [near, far] = direction === 'upstream' ? [edge.to, edge.from] : [edge.from, edge.to];
    const list = next.get(near);
    if (list === undefined) next.set(near, [far]);
    else list.push(far);
  }
  const depths = new Map<number, number>([[root, 0]]);
  let frontier = [root];
  for (let level = 1; frontier.length > 0 && (limit === null || level <= limit); level++) {
    const following: number[] = [];
    for (const id of frontier) {
      for (const far of next.get(id) ?? []) {
        if (depths.has(far)) continue;
        depths.set(far, level);
        following.push(far);
      }
    }
    frontier = following;
  }
  return depths;
}

function toNode(row: NodeRow, depth: number): LineageNode {
  return {
    materializationId: row.id,
    assetKey: row.asset_key,
    partitionKey: row.partition_key === '' ? null : row.partition_key,
    dataVersion: row.data_version,
    codeVersion: row.code_version,
    runId: row.run_id,
    materializedAt: row.finished_at,
    depth,
  };
}
