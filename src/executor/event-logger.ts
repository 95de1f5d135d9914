// The logger user code writes to (ctx.log): every line becomes an event with the given context
// (run, step, attempt, asset partition). Writes are tracked in `pending`, so the caller can wait
// for them before recording the outcome; a failed write never fails the computation.
import type { AssetLogger } from '../definitions/index.js';
import { appendEvents, type EventContext } from '../provenance/index.js';
import type { Database } from '../store/index.js';
import type { Kysely } from 'kysely';

/** A logger appending `log` events with `context`; its writes go into `pending`. */
export function eventLogger(
  db: Kysely<Database>,
  context: EventContext,
  pending: Promise<unknown>[],
): AssetLogger {
  const write =
    (level: 'info' | 'warn' | 'error') => (message: string, data?: Record<string, unknown>) => {
      pending.push(
        appendEvents(db, [
          { ...context, kind: 'log', level, message: String(message), data },
        ]).catch(() => undefined),
      );
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
