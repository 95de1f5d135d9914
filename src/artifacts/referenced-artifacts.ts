// Which artifacts the database references, for the garbage collector: every place an artifact id
// is stored. Artifacts linked to materializations (strata_internal.artifacts, a superset of
// materialization_artifacts by its foreign key) are looked up a batch of hashes at a time through
// the primary key; the columns without an index on artifact ids (a materialization's
// value_artifact, and references written inside JSON documents: values, metadata, plan documents,
// dynamic-partition payloads) are read once into a set.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { ARTIFACT_ID_PREFIX } from './artifact-hash.js';

/** 64 lowercase hex digits: what a reference's hash must be to count. */
const HEX = /^[0-9a-f]{64}$/;

/** Answers "is this artifact referenced?" for batches of sha256 hex digests. */
export interface ReferencedArtifacts {
  /** The hex digests of `hexes` the database references. */
  referencedAmong(hexes: readonly string[]): Promise<Set<string>>;
}

/** Reads the unindexed references once; batches are then checked against them and the index. */
export async function referencedArtifacts(db: Kysely<Database>): Promise<ReferencedArtifacts> {
  const unindexed = await unindexedReferences(db);
  return {
    async referencedAmong(hexes) {
      const found = new Set(hexes.filter((hex) => unindexed.has(hex)));
      if (hexes.length === 0) return found;
      const linked = await db
        .selectFrom('strata_internal.artifacts')
        .select('sha256')
        .where('sha256', 'in', [...hexes])
        .execute();
      for (const row of linked) found.add(row.sha256);
      return found;
    },
  };
}

/**
 * The hex digests in value_artifact columns and in every `artifact` field (at any depth) of the
 * JSON documents that may hold references.
 */
async function unindexedReferences(db: Kysely<Database>): Promise<Set<string>> {
  const { rows } = await sql<{ id: string }>`
    select value_artifact as id from strata_internal.materializations
      where value_artifact is not null
    union
    select ref #>> '{}' from (
      select m.value as doc from strata_internal.materializations m where m.value is not null
      union all
      select m.metadata from strata_internal.materializations m
      union all
      select p.document from strata_internal.plans p
      union all
      select d.payload from strata_internal.dynamic_partitions d where d.payload is not null
    ) docs, jsonb_path_query(docs.doc, 'strict $.**.artifact') ref
      where jsonb_typeof(ref) = 'string'
  `.execute(db);
  const hexes = new Set<string>();
  for (const { id } of rows) {
    const hex = id.startsWith(ARTIFACT_ID_PREFIX) ? id.slice(ARTIFACT_ID_PREFIX.length) : id;
    if (HEX.test(hex)) hexes.add(hex);
  }
  return hexes;
}
