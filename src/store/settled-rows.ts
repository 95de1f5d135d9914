// Readers that follow an append-only table by id (a run's events: the CLI's live progress, the
// API's events cursor) must not step over a row whose transaction has not committed yet. Ids
// come from a sequence when rows are inserted, not when they commit: a worker's completion can
// take id 100 and commit after another worker's event 101 was read, and a cursor past 101 would
// never see 100. A row is settled when the transaction that inserted it ended before every
// transaction still open began (its xmin is older than the snapshot's xmin): no row with a
// smaller id can appear later. Rows not yet settled are read on the next poll.
import { sql, type RawBuilder } from 'kysely';

/**
 * True for a row (of the one table in the query) inserted by a transaction older than every
 * open transaction. Compared by age, which handles 32-bit xid wraparound (a frozen row's age is
 * the largest there is).
 */
export function insertedBeforeOpenTransactions(): RawBuilder<boolean> {
  return sql<boolean>`age(xmin) > age((pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296)::text::xid)`;
}
