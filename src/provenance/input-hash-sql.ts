// The input-hash recipe of versions.ts as a PostgreSQL expression, so the planner can decide in
// the database which materializations are current (planner/bulk). It hashes the same text:
// to_json(text)::text escapes exactly as JSON.stringify does (quote, backslash and control
// characters, lower-case \u00xx; nothing else), and keys and code versions are spliced in as
// JSON.stringify wrote them. Any input that is null (a dependency partition never
// materialized) makes the whole expression null, which matches no stored hash.
import { sql, type RawBuilder } from 'kysely';
import { INPUT_HASH_FORMAT } from './versions.js';

/** One input of the SQL recipe: the dependency's key and SQL for its partition and version. */
export interface SqlInputVersion {
  readonly depKey: string;
  /** A constant partition key, or SQL that yields one (a column of the row being judged). */
  readonly depPartition: string | RawBuilder<string>;
  /** SQL for the dependency partition's current data version (null when it has none). */
  readonly dataVersion: RawBuilder<string | null>;
}

/** How SQL partition keys become JSON strings: escaped, or only quoted when none needs escaping. */
export type SqlKeyQuoting = 'escape' | 'quote';

/** What JSON.stringify escapes (and, to be safe, any surrogate: those go through to_json). */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Whether JSON.stringify writes `text` as itself in quotes. */
export function isPlainJsonText(text: string): boolean {
  return !NEEDS_ESCAPE.test(text);
}

const jsonOf = (value: string | RawBuilder<string>, quoting: SqlKeyQuoting): RawBuilder<string> =>
  typeof value === 'string'
    ? sql<string>`${JSON.stringify(value)}::text`
    : quoting === 'quote'
      ? sql`'"' || ${value} || '"'`
      : sql`to_json(${value})::text`;

/**
 * SQL for inputHashOf(assetKey, partition, codeVersion, inputs); `inputs` must be in the order
 * inputHashOf sorts them (by dependency key, then partition). With `quoting` 'quote', partition
 * keys given as SQL are only put in quotes (cheaper than to_json, per row): for callers that
 * know every key judged is plain (isPlainJsonText).
 */
export function inputHashSql(
  assetKey: string,
  partition: RawBuilder<string>,
  codeVersion: string,
  inputs: readonly SqlInputVersion[],
  quoting: SqlKeyQuoting = 'escape',
): RawBuilder<string | null> {
  const parts: RawBuilder<string>[] = [
    sql`${`[${INPUT_HASH_FORMAT},${JSON.stringify(assetKey)},`}::text`,
    jsonOf(partition, quoting),
    sql`${`,${JSON.stringify(codeVersion)},[`}::text`,
  ];
  inputs.forEach((input, i) => {
    parts.push(sql`${`${i === 0 ? '' : ','}[${JSON.stringify(input.depKey)},`}::text`);
    parts.push(jsonOf(input.depPartition, quoting));
    parts.push(sql`','`, sql`to_json(${input.dataVersion})::text`, sql`']'`);
  });
  parts.push(sql`']]'`);
  return sql`encode(sha256(convert_to(${sql.join(parts, sql` || `)}, 'UTF8')), 'hex')`;
}
