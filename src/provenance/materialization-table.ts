// The latest materializations of an asset's partitions as a table: one row per partition (in
// partition key order), one column per top-level scalar field of the value (`value.massKg`) or
// of the metadata (`metadata.mass_kg`). What a reader compares design points by, e.g. a study's
// metrics; nested values and values kept in artifacts are left out.
import type { Kysely } from 'kysely';
import { UNPARTITIONED } from '../graph/index.js';
import type { Database } from '../store/index.js';

/** A cell: a scalar, or null where the row has no such field. */
export type TableCell = string | number | boolean | null;

/** One partition's latest materialization. */
export interface MaterializationRow {
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly materializationId: number;
  /** In the order of the table's columns. */
  readonly cells: readonly TableCell[];
}

/** A page of the table. */
export interface MaterializationTable {
  /** Materialized partitions in all (the rows of every page). */
  readonly total: number;
  /** `value.FIELD` then `metadata.KEY`, each sorted, over the rows of this page. */
  readonly columns: readonly string[];
  readonly rows: readonly MaterializationRow[];
}

/** The rows `offset` to `offset + limit` of the table of asset `key`. */
export async function loadMaterializationTable(
  db: Kysely<Database>,
  key: string,
  page: { readonly offset: number; readonly limit: number },
  /** Only these partitions (e.g. an experiment plan's design points). */
  partitions?: readonly string[],
): Promise<MaterializationTable> {
  const only = partitions === undefined ? undefined : [...partitions];
  const [count, rows] = await Promise.all([
    db
      .selectFrom('strata_internal.latest_materializations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('asset_key', '=', key)
      .$if(only !== undefined, (qb) =>
        qb.where('partition_key', '=', (eb) => eb.fn.any(eb.val(only!))),
      )
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('strata_internal.latest_materializations as l')
      .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
      .select(['l.partition_key', 'm.id', 'm.value', 'm.metadata'])
      .where('l.asset_key', '=', key)
      .$if(only !== undefined, (qb) =>
        qb.where('l.partition_key', '=', (eb) => eb.fn.any(eb.val(only!))),
      )
      .orderBy('l.partition_key')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
  ]);
  const fields = rows.map((row) => ({
    ...prefixed('value', scalarFields(row.value)),
    ...prefixed('metadata', scalarFields(row.metadata)),
  }));
  const columns = [...new Set(fields.flatMap((f) => Object.keys(f)))].sort(columnOrder);
  return {
    total: Number(count.n),
    columns,
    rows: rows.map((row, i) => ({
      partition: row.partition_key === UNPARTITIONED ? null : row.partition_key,
      materializationId: row.id,
      cells: columns.map((column) => fields[i]![column] ?? null),
    })),
  };
}

/** The top-level scalar fields of `value` ('' for a scalar value itself). */
function scalarFields(value: unknown): Record<string, TableCell> {
  if (isScalar(value)) return value === null ? {} : { '': value };
  if (typeof value !== 'object' || Array.isArray(value)) return {};
  const fields: Record<string, TableCell> = {};
  for (const [name, field] of Object.entries(value as Record<string, unknown>))
    if (isScalar(field) && field !== null) fields[name] = field;
  return fields;
}

function isScalar(value: unknown): value is TableCell {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function prefixed(prefix: string, fields: Record<string, TableCell>): Record<string, TableCell> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, cell]) => [
      name === '' ? prefix : `${prefix}.${name}`,
      cell,
    ]),
  );
}

/** Value columns before metadata columns, each alphabetically. */
function columnOrder(a: string, b: string): number {
  const rank = (column: string) => (column.startsWith('value') ? 0 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
