// Server-side prepared statements for the queries Kysely sends: each distinct SQL text is parsed
// and planned once per connection instead of on every execution. The engine's hot statements are
// fixed texts over array parameters (unnest), so a small cache per connection covers them, and
// planning was a third of PostgreSQL's time per step.
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Distinct statements prepared per connection; later new texts run unprepared. */
const MAX_PREPARED_PER_CONNECTION = 256;
/** Very long texts are one-off (multi-row VALUES lists): not worth a server-side statement. */
const MAX_PREPARED_TEXT_LENGTH = 8_192;

const nameOfText = new Map<string, string>();

function statementName(text: string): string {
  let name = nameOfText.get(text);
  if (name === undefined) {
    name = `strata_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (nameOfText.size < MAX_PREPARED_PER_CONNECTION * 4) nameOfText.set(text, name);
  }
  return name;
}

/**
 * Makes `client.query(text, values)` use a named prepared statement. Transaction control and
 * other parameterless statements are sent as they are.
 */
export function preparedStatementsFor(client: pg.PoolClient): void {
  const prepared = new Set<string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]): unknown => {
    const [text, values] = args;
    if (
      args.length !== 2 ||
      typeof text !== 'string' ||
      !Array.isArray(values) ||
      values.length === 0 ||
      text.length > MAX_PREPARED_TEXT_LENGTH
    ) {
      return query(...args);
    }
    const name = statementName(text);
    if (!prepared.has(name)) {
      if (prepared.size >= MAX_PREPARED_PER_CONNECTION) return query(text, values);
      prepared.add(name);
    }
    return query({ name, text, values });
  };
}
