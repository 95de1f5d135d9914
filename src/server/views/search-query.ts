// The database half of GET /api/search: a run and a materialization by id, and plans by id
// prefix or title. Each read is one indexed or bounded query; text goes in as parameters only.
import type { Kysely } from 'kysely';
import type { Database, RunStatus } from '../../store/index.js';
import type { PlanState } from '../../plans/index.js';

/** A run found by id. */
export interface RunHit {
  readonly runId: number;
  readonly status: RunStatus;
  readonly selection: string;
  readonly createdAt: Date;
}

/** A materialization found by id. */
export interface MaterializationHit {
  readonly materializationId: number;
  readonly assetKey: string;
  readonly partition: string | null;
  readonly finishedAt: Date;
}

/** A plan found by id or title. */
export interface PlanHit {
  readonly id: string;
  readonly title: string;
  readonly state: PlanState;
  readonly proposedAt: Date;
}

/** The largest id a search looks up (ids are bigint-safe integers). */
const MAX_ID = Number.MAX_SAFE_INTEGER;

/** The id a text stands for ("42", "#42"), or undefined. */
export function idOf(text: string): number | undefined {
  const match = /^#?([1-9][0-9]{0,15})$/.exec(text);
  const id = match === null ? undefined : Number(match[1]);
  return id !== undefined && id <= MAX_ID ? id : undefined;
}

/** The run with id `id`, as a list of zero or one. */
export async function findRuns(db: Kysely<Database>, id: number): Promise<RunHit[]> {
  const rows = await db
    .selectFrom('strata_internal.runs')
    .select(['id', 'status', 'selection', 'created_at'])
    .where('id', '=', id)
    .execute();
  return rows.map((row) => ({
    runId: row.id,
    status: row.status,
    selection: row.selection,
    createdAt: row.created_at,
  }));
}

/** The materialization with id `id`, as a list of zero or one. */
export async function findMaterializations(
  db: Kysely<Database>,
  id: number,
): Promise<MaterializationHit[]> {
  const rows = await db
    .selectFrom('strata_internal.materializations')
    .select(['id', 'asset_key', 'partition_key', 'finished_at'])
    .where('id', '=', id)
    .execute();
  return rows.map((row) => ({
    materializationId: row.id,
    assetKey: row.asset_key,
    partition: row.partition_key === '' ? null : row.partition_key,
    finishedAt: row.finished_at,
  }));
}

/** `text` for a LIKE pattern: its wildcards and the escape character taken literally. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Plans whose id starts with `text` or whose title contains it, newest first, at most `limit`. */
export async function findPlans(
  db: Kysely<Database>,
  text: string,
  limit: number,
): Promise<PlanHit[]> {
  const literal = likeLiteral(text);
  const rows = await db
    .selectFrom('strata_internal.plans')
    .select(['id', 'title', 'state', 'proposed_at'])
    .where((eb) =>
      eb.or([eb('id', 'like', `${literal.toLowerCase()}%`), eb('title', 'ilike', `%${literal}%`)]),
    )
    .orderBy('proposed_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    state: row.state as PlanState,
    proposedAt: row.proposed_at,
  }));
}
