// `strata lineage export --openlineage`: the OpenLineage events of the whole history (or of the
// events written since a time) sent to a sink, in order, without touching any delivery cursor.
// Reads in batches by event id, so memory stays flat however long the history.
import type { Kysely } from 'kysely';
import { selectFirstEventAfter } from '../retention/index.js';
import type { Database } from '../store/index.js';
import { selectTranslatedEvents } from './cursor-sql.js';
import { loadTranslationContext } from './load-context.js';
import type { LineageSink } from './sink.js';
import { translateEvents, type TranslateOptions } from './translate.js';

/** What to export. */
export interface ExportOptions extends TranslateOptions {
  /** Only events written at or after this. */
  readonly since?: Date;
  /** strata events read per batch. */
  readonly batchSize?: number;
}

const EXPORT_BATCH = 1_000;

/** Sends the history's OpenLineage events to `sink`; how many were sent. */
export async function exportHistory(
  db: Kysely<Database>,
  sink: LineageSink,
  options: ExportOptions,
): Promise<number> {
  const batch = options.batchSize ?? EXPORT_BATCH;
  let afterId = await startAfter(db, options.since);
  let sent = 0;
  for (;;) {
    const last = await db
      .selectFrom('strata_internal.events')
      .select('id')
      .where('id', '>', afterId)
      .orderBy('id')
      .offset(batch - 1)
      .limit(1)
      .executeTakeFirst();
    const upTo = last?.id ?? Number.MAX_SAFE_INTEGER;
    const events = await selectTranslatedEvents(db, afterId, upTo);
    const context = await loadTranslationContext(db, events);
    for (const { event } of translateEvents(events, context, options)) {
      await sink.send(event);
      sent += 1;
    }
    if (last === undefined) return sent;
    afterId = upTo;
  }
}

/** The id before the first event written at or after `since` (0: from the start). */
async function startAfter(db: Kysely<Database>, since: Date | undefined): Promise<number> {
  if (since === undefined) return 0;
  const first = await selectFirstEventAfter(db, since);
  return first === undefined ? Number.MAX_SAFE_INTEGER : first - 1;
}
