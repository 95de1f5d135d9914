// Where a compute's log lines go: what user code writes with ctx.log and what it writes to stdout
// and stderr (captured-output.ts). Under an attempt, every line becomes a `log` event with the
// attempt's context (run, step, attempt, asset partition), appended in the order written, in
// batches (one insert at a time; lines written meanwhile go in the next); a failed write never
// fails the computation. A fused step's lines are kept instead, and appended by its completion.
// A captured line is level info (stdout) or warn (stderr), with `data.stream` naming its stream.
import type { AssetLogger } from '../definitions/index.js';
import type { FusedLog } from './completion-decision.js';
import type { LineSink } from './captured-output.js';
import { outsideCapture } from './output-capture.js';
import { appendEvents, type EventContext, type NewEvent } from '../provenance/index.js';
import type { Database } from '../store/index.js';
import type { Kysely } from 'kysely';

/** Lines in one insert at most. */
const BATCH_LINES = 500;

/** The log events of one attempt, appended in order; `settled()` waits for those written so far. */
export class AttemptLog {
  private readonly queue: NewEvent<'log'>[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly context: EventContext,
  ) {}

  add(line: FusedLog): void {
    this.queue.push({ ...this.context, kind: 'log', ...line });
    // The inserts belong to no compute (their connection may outlive it).
    this.draining ??= outsideCapture(() => this.drain());
  }

  settled(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      await appendEvents(this.db, this.queue.splice(0, BATCH_LINES)).catch(() => undefined);
    }
    this.draining = undefined;
  }
}

/** What ctx.log writes: a line for `keep` (an attempt's log, or a fused step's kept lines). */
export function assetLogger(keep: (line: FusedLog) => void): AssetLogger {
  const write =
    (level: 'info' | 'warn' | 'error') => (message: string, data?: Record<string, unknown>) => {
      keep({ level, message: String(message), data: data ?? null });
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger appending `log` events with `context` (an observation's); its writes go into `pending`. */
export function eventLogger(
  db: Kysely<Database>,
  context: EventContext,
  pending: Promise<unknown>[],
): AssetLogger {
  const log = new AttemptLog(db, context);
  return assetLogger((line) => {
    log.add(line);
    pending.push(log.settled());
  });
}

/** Captured stdout and stderr lines as log lines for `keep`. */
export function outputLines(keep: (line: FusedLog) => void): LineSink {
  return (stream, message, notKeptBytes) =>
    keep({
      level: stream === 'stderr' || notKeptBytes !== undefined ? 'warn' : 'info',
      message,
      data: notKeptBytes === undefined ? { stream } : { stream, notKeptBytes },
    });
}
