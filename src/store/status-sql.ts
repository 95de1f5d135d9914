// Status predicates for SQL written with the sets of step-states.ts. Most writers pass a set as
// an array parameter; `statusLiterals` inlines one instead, for predicates a partial index
// depends on (`attempts_running_idx ... where status = 'running'`): PostgreSQL can match a
// partial index only against constants it sees, and a prepared statement's generic plan sees
// none in a parameter.
import { sql, type RawBuilder } from 'kysely';

/**
 * `column in ('a', 'b')` with `statuses` inlined as quoted literals. Only for the constant sets
 * of step-states.ts, never for input.
 */
export function statusLiterals(column: string, statuses: readonly string[]): RawBuilder<boolean> {
  if (statuses.length === 0) return sql<boolean>`false`;
  return sql<boolean>`${sql.ref(column)} in (${sql.join(statuses.map((status) => sql.lit(status)))})`;
}
