// Recording the artifacts a materialization references: one row per artifact content and one
// link per (materialization, artifact, name), each written in one bulk statement.
import type { Kysely, Transaction } from 'kysely';
import type { ArtifactRef } from '../definitions/index.js';
import type { Database } from '../store/index.js';
import { parseArtifactHash } from './artifact-hash.js';

/**
 * Inserts `refs` into strata_internal.artifacts and links them to the materialization; rows
 * that exist already are left alone. The sha256 columns hold the 64 bare hex digits.
 */
export async function recordArtifacts(
  trx: Kysely<Database> | Transaction<Database>,
  materializationId: number,
  refs: readonly ArtifactRef[],
): Promise<void> {
  if (refs.length === 0) return;
  const artifacts = new Map<string, { sha256: string; size: number; content_type: string }>();
  const links = new Map<string, { materialization_id: number; sha256: string; name: string }>();
  for (const ref of refs) {
    const sha256 = parseArtifactHash(ref);
    if (!artifacts.has(sha256)) {
      artifacts.set(sha256, { sha256, size: ref.size, content_type: ref.contentType });
    }
    links.set(`${sha256}\0${ref.name}`, {
      materialization_id: materializationId,
      sha256,
      name: ref.name,
    });
  }
  await trx
    .insertInto('strata_internal.artifacts')
    .values([...artifacts.values()])
    .onConflict((conflict) => conflict.column('sha256').doNothing())
    .execute();
  await trx
    .insertInto('strata_internal.materialization_artifacts')
    .values([...links.values()])
    .onConflict((conflict) =>
      conflict.columns(['materialization_id', 'sha256', 'name']).doNothing(),
    )
    .execute();
}
