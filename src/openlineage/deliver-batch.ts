// Delivers one batch of pending events to one sink, in one transaction: lock the sink's cursor
// (skip it if another process holds it), translate the settled events after it, send them in
// order, and move the cursor past what the sink took. If the sink fails midway, the cursor
// moves past the events it took and the rest stay pending (at-least-once: a strata event whose
// START went out but whose COMPLETE did not is sent again whole).
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { advanceCursor, lockCursor, selectIdsAfter, selectTranslatedEvents } from './cursor-sql.js';
import { loadTranslationContext } from './load-context.js';
import { settledPrefixEnd } from './settled-prefix.js';
import type { LineageSink } from './sink.js';
import { translateEvents, type TranslateOptions } from './translate.js';

/** How a batch is delivered. */
export interface DeliveryOptions extends TranslateOptions {
  /** strata events (of every kind) looked at per batch. */
  readonly batchSize: number;
  /** How long a gap in event ids holds back the events after it (./settled-prefix.ts). */
  readonly settleMs: number;
}

/** What one batch did. */
export interface BatchOutcome {
  /** Another process holds the sink's cursor (or the sink has none). */
  readonly busy: boolean;
  /** OpenLineage events sent. */
  readonly sent: number;
  /** Events remain after this batch (or could not be sent). */
  readonly pending: boolean;
  /** The cursor moved. */
  readonly advanced: boolean;
  /** Why sending stopped, when the sink failed. */
  readonly error?: unknown;
}

/** Delivers the next batch of `sink`'s pending events. */
export function deliverBatch(
  db: Kysely<Database>,
  sink: LineageSink,
  options: DeliveryOptions,
): Promise<BatchOutcome> {
  return db.transaction().execute(async (trx) => {
    const cursor = await lockCursor(trx, sink.id);
    if (cursor === undefined) return { busy: true, sent: 0, pending: false, advanced: false };
    const { ids, now } = await selectIdsAfter(trx, cursor, options.batchSize);
    const upTo = settledPrefixEnd(cursor, ids, now, options.settleMs);
    const events = await selectTranslatedEvents(trx, cursor, upTo);
    const translated = translateEvents(events, await loadTranslationContext(trx, events), options);
    let delivered = upTo;
    let sent = 0;
    let error: unknown;
    for (const { eventId, event } of translated) {
      try {
        await sink.send(event);
        sent += 1;
      } catch (failure) {
        error = failure;
        delivered = eventId - 1;
        break;
      }
    }
    if (delivered > cursor) await advanceCursor(trx, sink.id, delivered);
    const pending = error !== undefined || upTo < (ids.at(-1)?.id ?? cursor);
    return {
      busy: false,
      sent,
      pending: pending || ids.length === options.batchSize,
      advanced: delivered > cursor,
      ...(error === undefined ? {} : { error }),
    };
  });
}
