// The times tool calls were running, for the garbage collector: a tool server may store artifacts
// while it answers a call and, keyed by the call's idempotency key, replay that answer (the
// references in it) to any later call with the same key, such as a forced re-run of the same
// inputs, without storing them again. The database does not know which artifacts an answer
// references, so every artifact stored during a successful call (with a margin for the clocks of
// other hosts) is kept.
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** Added before and after each call: the server's clock may differ from the worker's. */
export const TOOL_CALL_MARGIN_MS = 10 * 60 * 1000;

/** Disjoint time windows, sorted, and whether a time falls in one. */
export interface TimeWindows {
  /** How many disjoint windows (calls that overlap share one). */
  readonly count: number;
  covers(time: Date): boolean;
}

/** The windows of every successful tool call, widened by TOOL_CALL_MARGIN_MS each side. */
export async function toolCallWindows(db: Kysely<Database>): Promise<TimeWindows> {
  const calls = await db
    .selectFrom('strata_internal.tool_calls')
    .select(['started_at', 'duration_ms'])
    .where('status', '=', 'succeeded')
    .orderBy('started_at')
    .execute();
  const windows: [number, number][] = [];
  for (const call of calls) {
    const start = new Date(call.started_at).getTime() - TOOL_CALL_MARGIN_MS;
    const end = new Date(call.started_at).getTime() + call.duration_ms + TOOL_CALL_MARGIN_MS;
    const last = windows.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else windows.push([start, end]);
  }
  return { count: windows.length, covers: (time) => covers(windows, time.getTime()) };
}

/** Whether `time` falls in one of the sorted disjoint `windows` (binary search). */
function covers(windows: readonly [number, number][], time: number): boolean {
  let low = 0;
  let high = windows.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [start, end] = windows[middle]!;
    if (time < start) high = middle - 1;
    else if (time > end) low = middle + 1;
    else return true;
  }
  return false;
}
