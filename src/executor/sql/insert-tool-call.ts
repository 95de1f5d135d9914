// The statement recording one tool call in strata_internal.tool_calls (migrations/0002), run in
// the transaction that also releases the call's hold on its idempotency key.
import type { Insertable, Kysely } from 'kysely';
import type { Database, ToolCallsTable } from '../../store/index.js';

/** Records one tool call (succeeded or failed). */
export async function insertToolCall(
  db: Kysely<Database>,
  call: Insertable<ToolCallsTable>,
): Promise<void> {
  await db.insertInto('strata_internal.tool_calls').values(call).execute();
}
