// The loggers user code writes to (ctx.log): every line becomes an event with the given context
// (run, step, attempt, asset partition). Writes are tracked in `pending`, so the caller can wait
// for them before recording the outcome; a failed write never fails the computation. A fused
// step's lines are kept instead, and appended by its completion.
import type { AssetLogger } from '../definitions/index.js';
import type { FusedLog } from './completion-decision.js';
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

/** A logger keeping its lines in `lines`, for a fused step's completion to append (fuse-chain.ts). */
export function keptLogger(lines: FusedLog[]): AssetLogger {
  const write =
    (level: 'info' | 'warn' | 'error') => (message: string, data?: Record<string, unknown>) => {
      lines.push({ level, message: String(message), data: data ?? null });
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
