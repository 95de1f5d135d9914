// Counts the statements this process sends to PostgreSQL during a measured interval, by
// wrapping pg's Query.prototype.submit: the one place every query of every client passes when it
// goes on the wire (pools, Kysely, graphile-worker, DBOS, and strata's connections whose `query`
// was rebound at connect time all share the one `pg` of node_modules). Without pipelining, which
// none of them uses, each submitted query is one round trip.
import pg from 'pg';

type SubmitFunction = (this: unknown, ...args: unknown[]) => unknown;

let counting = false;

/** Starts counting; the returned function stops, restores pg and returns the count. */
export function startStatementCounter(): () => number {
  if (counting) throw new Error('startStatementCounter: already counting');
  const prototype = pg.Query.prototype as unknown as { submit: SubmitFunction };
  const original = prototype.submit;
  let statements = 0;
  prototype.submit = function countedSubmit(this: unknown, ...args: unknown[]): unknown {
    statements++;
    return original.apply(this, args);
  };
  counting = true;
  return () => {
    prototype.submit = original;
    counting = false;
    return statements;
  };
}
