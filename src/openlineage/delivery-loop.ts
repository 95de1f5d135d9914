// The background delivery of a strata process configured for OpenLineage (materialize,
// worker, daemon, serve): per sink, batches are delivered as long as events are pending, then
// the loop polls; a failing sink costs a warning (once per outage) and a retry with
// exponential backoff, never an error of the run. Nothing here runs in a step's path: steps
// write events as always, and this loop reads them from the database.
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { registerCursor } from './cursor-sql.js';
import { deliverBatch, type DeliveryOptions } from './deliver-batch.js';
import type { LineageSink } from './sink.js';

/** Timing of the loop (tests shorten it). */
export interface DeliveryTiming {
  /** Between polls when nothing is pending. */
  readonly pollMs: number;
  /** The first retry after a failure; doubled per failure up to maxBackoffMs. */
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_DELIVERY_TIMING: DeliveryTiming = {
  pollMs: 1_000,
  minBackoffMs: 1_000,
  maxBackoffMs: 60_000,
};

/** What starting delivery needs. */
export interface DeliveryLoopOptions extends DeliveryOptions {
  readonly sinks: readonly LineageSink[];
  readonly timing?: DeliveryTiming;
  /** Warnings (a sink down, back up); never given a credential. */
  readonly warn: (line: string) => void;
}

/** A running delivery. */
export interface LineageDelivery {
  /**
   * Stops the loop, then delivers what is pending for at most `timeoutMs`; resolves with the
   * ids of the sinks that still have events pending (down, or busy in another process).
   */
  finish(timeoutMs: number): Promise<string[]>;
  /** Stops the loop (after the batch in flight). */
  stop(): Promise<void>;
}

/** Registers the sinks' cursors and starts delivering to them in the background. */
export async function startLineageDelivery(
  db: Kysely<Database>,
  options: DeliveryLoopOptions,
): Promise<LineageDelivery> {
  for (const sink of options.sinks) await registerCursor(db, sink.id);
  const loops = options.sinks.map((sink) => new SinkLoop(db, sink, options));
  for (const loop of loops) loop.start();
  return {
    async finish(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const pending = await Promise.all(loops.map((loop) => loop.drain(deadline)));
      return options.sinks.filter((_, i) => pending[i]).map((sink) => sink.id);
    },
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}

/** The loop of one sink. */
class SinkLoop {
  #stopped = false;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #running: Promise<void> = Promise.resolve();
  readonly #timing: DeliveryTiming;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sink: LineageSink,
    private readonly options: DeliveryLoopOptions,
  ) {
    this.#timing = options.timing ?? DEFAULT_DELIVERY_TIMING;
  }

  start(): void {
    this.#running = this.#run();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const pause = await this.#step();
      if (pause > 0) await this.#sleep(pause);
    }
  }

  /** One batch; how long to wait before the next (0: at once). */
  async #step(): Promise<number> {
    let outcome;
    try {
      outcome = await deliverBatch(this.db, this.sink, this.options);
    } catch (error) {
      outcome = { busy: false, sent: 0, pending: true, advanced: false, error };
    }
    if (outcome.error !== undefined) {
      this.#failures += 1;
      if (this.#failures === 1)
        this.options.warn(`${messageOf(outcome.error)}; retrying with backoff`);
      return Math.min(
        this.#timing.maxBackoffMs,
        this.#timing.minBackoffMs * 2 ** (this.#failures - 1),
      );
    }
    if (this.#failures > 0) {
      this.options.warn(`OpenLineage sink ${this.sink.id} takes events again`);
      this.#failures = 0;
    }
    return outcome.pending && outcome.advanced ? 0 : this.#timing.pollMs;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
      this.#timer.unref();
    });
  }

  /** Delivers until nothing is pending or `deadline`; whether events remain. */
  async drain(deadline: number): Promise<boolean> {
    await this.stop();
    for (;;) {
      let outcome;
      try {
        outcome = await deliverBatch(this.db, this.sink, this.options);
      } catch {
        return true;
      }
      if (outcome.error !== undefined || outcome.busy) return true;
      if (!outcome.pending) return false;
      if (Date.now() >= deadline) return true;
      if (!outcome.advanced) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#wake?.();
    await this.#running;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
