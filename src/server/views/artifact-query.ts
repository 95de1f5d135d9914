// The recorded facts of one stored artifact (size, content type, a name it was attached under),
// for the download route's headers.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

/** An artifact row and one of the names it is linked under. */
export interface ArtifactRecord {
  readonly sha256: string;
  readonly size: number;
  readonly contentType: string;
  /** The first name (alphabetically) of its links, or null when it is not linked. */
  readonly name: string | null;
}

/** The artifact with `sha256` (64 hex digits), or undefined when none was recorded. */
export async function loadArtifactRecord(
  db: Kysely<Database>,
  sha256: string,
): Promise<ArtifactRecord | undefined> {
  const row = await db
    .selectFrom('strata_internal.artifacts as a')
    .select(['a.sha256', 'a.size', 'a.content_type'])
    .select((eb) =>
      eb
        .selectFrom('strata_internal.materialization_artifacts as ma')
        .select('ma.name')
        .whereRef('ma.sha256', '=', 'a.sha256')
        .orderBy('ma.name')
        .limit(1)
        .as('name'),
    )
    .where('a.sha256', '=', sha256)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return { sha256: row.sha256, size: row.size, contentType: row.content_type, name: row.name };
}
