// Where a sink may deliver up to: the events table is the outbox, and its ids come from a
// sequence, so a transaction still open may yet commit an id below one already visible. Ids
// right after the cursor are delivered at once; a gap (an id not visible) holds back what
// follows it until the event after the gap is `settleMs` old (by the database's clock): by then
// the gap's transaction has committed (and its rows are seen) or rolled back (the id is never
// used). strata's transactions that write events are short (docs/openlineage.md, "Guarantees").
export const DEFAULT_SETTLE_MS = 10_000;

/** The last id that may be delivered after `cursor`, given the ids seen after it (ascending). */
export function settledPrefixEnd(
  cursor: number,
  seen: readonly { readonly id: number; readonly created_at: Date }[],
  now: Date,
  settleMs: number,
): number {
  let end = cursor;
  for (const row of seen) {
    const gap = row.id !== end + 1;
    if (gap && now.getTime() - row.created_at.getTime() < settleMs) break;
    end = row.id;
  }
  return end;
}
