// The statements on strata_internal.tool_call_holds (migrations/0007_tool_call_holds.sql), one per
// function: take a hold on an idempotency key, read who holds it, take it over from a holder
// that is gone, and release it. The waiting and deciding is in ../tool-call-hold.ts.
import { sql, type Kysely } from 'kysely';
import type { Database, WorkerStatus } from '../../store/index.js';

/** Who holds, or wants to hold, an idempotency key: a worker process and its attempt. */
export interface ToolCallHolder {
  readonly workerId: string;
  readonly attemptId: number;
}

/** The current holder of a key and what strata_internal.workers says about its worker. */
export interface HeldBy extends ToolCallHolder {
  /** null when the worker has no row (deleted): treated like a worker that is gone. */
  readonly workerStatus: WorkerStatus | null;
  readonly acquiredAt: Date;
}

/** Holds `key` for `holder` if nobody holds it; true when the hold is now `holder`'s. */
export async function insertToolCallHold(
  db: Kysely<Database>,
  hold: ToolCallHolder & { readonly key: string; readonly server: string; readonly tool: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('strata_internal.tool_call_holds')
    .values({
      idempotency_key: hold.key,
      server: hold.server,
      tool: hold.tool,
      worker_id: hold.workerId,
      attempt_id: hold.attemptId,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('idempotency_key')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The holder of `key` with its worker's status; undefined when nobody holds it. */
export async function selectToolCallHolder(
  db: Kysely<Database>,
  key: string,
): Promise<HeldBy | undefined> {
  const row = await db
    .selectFrom('strata_internal.tool_call_holds as h')
    .leftJoin('strata_internal.workers as w', 'w.id', 'h.worker_id')
    .select(['h.worker_id', 'h.attempt_id', 'h.acquired_at', 'w.status'])
    .where('h.idempotency_key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    workerId: row.worker_id,
    attemptId: row.attempt_id,
    workerStatus: row.status,
    acquiredAt: row.acquired_at,
  };
}

/**
 * Moves the hold of `key` from `from` to `to`, only if `from` still holds it (a compare and set:
 * of two waiters taking over the same hold, one wins). True when `to` holds it now.
 */
export async function takeOverToolCallHold(
  db: Kysely<Database>,
  key: string,
  from: ToolCallHolder,
  to: ToolCallHolder,
): Promise<boolean> {
  const updated = await db
    .updateTable('strata_internal.tool_call_holds')
    .set({ worker_id: to.workerId, attempt_id: to.attemptId, acquired_at: sql<Date>`now()` })
    .where('idempotency_key', '=', key)
    .where('worker_id', '=', from.workerId)
    .where('attempt_id', '=', from.attemptId)
    .returning('idempotency_key')
    .executeTakeFirst();
  return updated !== undefined;
}

/** Releases `holder`'s hold of `key` (nothing when someone took it over meanwhile). */
export async function deleteToolCallHold(
  db: Kysely<Database>,
  key: string,
  holder: ToolCallHolder,
): Promise<void> {
  await db
    .deleteFrom('strata_internal.tool_call_holds')
    .where('idempotency_key', '=', key)
    .where('worker_id', '=', holder.workerId)
    .where('attempt_id', '=', holder.attemptId)
    .execute();
}
