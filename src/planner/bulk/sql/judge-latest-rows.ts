// One scan of an asset's latest materializations that counts those within its partition set
// (set-membership.ts), finds the newest, and names the ones the database cannot prove current:
// a different code version, a stored input hash that differs from the one its inputs' latest
// versions give now (recomputed in SQL: provenance/input-hash-sql.ts), a dependency partition
// that is not fresh (`suspects`), or all of them when an unpartitioned dependency is not fresh.
// A current row costs one hash and is never sent; only the unproven keys are.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { AssetKey, PartitionKey } from '../../../definitions/index.js';
import { inputHashSql, type SqlInputVersion } from '../../../provenance/index.js';
import type { Database } from '../../../store/index.js';
import type { PartitionSet } from '../../partition-sets.js';
import { keyQuoting, membershipSql } from '../set-membership.js';

/** A dependency as the judgement reads it: joined at the same partition, or a known constant. */
export type JudgedDependency =
  | { readonly key: AssetKey; readonly mapping: 'identity' }
  | { readonly key: AssetKey; readonly mapping: 'single'; readonly dataVersion: string | null };

export interface JudgementQuery {
  readonly key: AssetKey;
  readonly set: PartitionSet;
  /** Undefined for a source asset: observed means current, nothing to prove. */
  readonly codeVersion: string | undefined;
  /** In inputHashOf's order (by key). */
  readonly dependencies: readonly JudgedDependency[];
  /** Partitions whose dependency partition is not fresh: never current. */
  readonly suspects: readonly PartitionKey[];
  /** An unpartitioned dependency is not fresh: no row is current. */
  readonly allSuspect: boolean;
}

export interface Judgement {
  /** Latest rows within the set. */
  readonly materialized: number;
  readonly lastMaterializedAt: Date | null;
  /** Keys within the set whose rows may not be current. */
  readonly unproven: readonly PartitionKey[];
}

/** SQL that is true when the row `l` (joined to `d<i>` per identity dependency) may be stale. */
function unprovenSql(query: JudgementQuery, codeVersion: string): RawBuilder<boolean> {
  const partition = sql<string>`l.partition_key`;
  const inputs: SqlInputVersion[] = query.dependencies.map((dep, i) =>
    dep.mapping === 'identity'
      ? {
          depKey: dep.key,
          depPartition: partition,
          dataVersion: sql`${sql.table(`d${i}`)}.data_version`,
        }
      : { depKey: dep.key, depPartition: '', dataVersion: sql`${dep.dataVersion}::text` },
  );
  const hash = inputHashSql(query.key, partition, codeVersion, inputs, keyQuoting(query.set));
  return sql<boolean>`(${query.allSuspect}
    or l.code_version <> ${codeVersion}
    or l.input_hash is distinct from ${hash}
    or l.partition_key = any(${[...query.suspects]}::text[]))`;
}

/** Judges the latest rows of `query.key` in one scan (see the top of this file). */
export async function judgeLatestRows(
  db: Kysely<Database>,
  query: JudgementQuery,
): Promise<Judgement> {
  const joins = query.dependencies.flatMap((dep, i) => {
    if (dep.mapping !== 'identity') return [];
    const d = sql.table(`d${i}`);
    return [
      sql`left join strata_internal.latest_materializations ${d}
          on ${d}.asset_key = ${dep.key} and ${d}.partition_key = l.partition_key`,
    ];
  });
  const member = membershipSql(query.set, sql.ref('l.partition_key'));
  const unproven =
    query.codeVersion === undefined ? sql<boolean>`false` : unprovenSql(query, query.codeVersion);
  // Membership in the WHERE clause: evaluated once per row (an expression repeated in several
  // aggregates' filters is evaluated for each), and rows outside the set are never hashed.
  const { rows } = await sql<{
    materialized: number;
    last_ms: number | null;
    unproven: PartitionKey[] | null;
  }>`
    select count(*)::int as materialized,
           extract(epoch from max(l.materialized_at)) * 1000 as last_ms,
           array_agg(l.partition_key) filter (where ${unproven}) as unproven
    from strata_internal.latest_materializations l
    ${sql.join(joins, sql` `)}
    where l.asset_key = ${query.key} and ${member}`.execute(db);
  const row = rows[0]!;
  return {
    materialized: row.materialized,
    lastMaterializedAt: row.last_ms === null ? null : new Date(Number(row.last_ms)),
    unproven: row.unproven ?? [],
  };
}
