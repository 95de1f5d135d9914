// Live run progress for every event-stream client of the server through ONE listening
// connection: LISTEN on the engine's run channel while anyone subscribes, a throttled refresh
// of the notified run's counts (shared by all subscribers), a polling fallback for running runs
// in case notifications are lost, and UNLISTEN when the last subscriber leaves.
import type { Kysely } from 'kysely';
import type pg from 'pg';
import {
  PROGRESS_POLL_MS,
  PROGRESS_THROTTLE_MS,
  RUN_CHANNEL,
  runProgress,
  type RunProgress,
} from '../executor/index.js';
import type { Database } from '../store/index.js';

/** After losing its connection, the hub listens again after this long. */
const RECONNECT_DELAY_MS = 1_000;

/** After this many runs the cache of their triggers starts again (a trigger never changes). */
const TRIGGER_CACHE_SIZE = 1_000;

/**
 * One progress message (schema RunProgress): the engine's run progress without its events, with
 * what launched the run (so a page of automation can tell the daemon's runs apart).
 */
export type RunProgressMessage = Omit<RunProgress, 'events'> & { readonly trigger: string };

/** Receives the progress of runs. */
export type ProgressListener = (message: RunProgressMessage) => void;

interface Subscriber {
  readonly runId: number | undefined;
  readonly listener: ProgressListener;
}

/** Fans run notifications out to subscribers. */
export class RunEventsHub {
  readonly #db: Kysely<Database>;
  readonly #pool: pg.Pool;
  readonly #onError: (error: unknown) => void;
  readonly #subscribers = new Set<Subscriber>();
  /** Runs last seen running, with the time of their last refresh. */
  readonly #running = new Map<number, number>();
  readonly #pending = new Map<number, NodeJS.Timeout>();
  readonly #triggers = new Map<number, string>();
  #client: Promise<pg.PoolClient> | undefined;
  #poller: NodeJS.Timeout | undefined;
  #reconnect: NodeJS.Timeout | undefined;

  constructor(db: Kysely<Database>, pool: pg.Pool, onError: (error: unknown) => void) {
    this.#db = db;
    this.#pool = pool;
    this.#onError = onError;
  }

  /** How many subscribers are connected. */
  get size(): number {
    return this.#subscribers.size;
  }

  /**
   * Subscribes to every run (or only `runId`); resolves once notifications are listened to,
   * with the function that unsubscribes.
   */
  async subscribe(runId: number | undefined, listener: ProgressListener): Promise<() => void> {
    const subscriber: Subscriber = { runId, listener };
    this.#subscribers.add(subscriber);
    try {
      await this.#listen();
    } catch (error) {
      this.#unsubscribe(subscriber);
      throw error;
    }
    return () => this.#unsubscribe(subscriber);
  }

  /** The current progress of `runId` (not delivered to subscribers); undefined if unknown. */
  async snapshot(runId: number): Promise<RunProgressMessage | undefined> {
    const exists = await this.#db
      .selectFrom('strata_internal.runs')
      .select('id')
      .where('id', '=', runId)
      .executeTakeFirst();
    return exists === undefined ? undefined : this.#refresh(runId, false);
  }

  /**
   * Polls `runId` while it runs (and anyone listens): the engine announces completions, not
   * starts, so a run just launched would otherwise show no progress until its first step ends.
   */
  track(runId: number): void {
    if (this.#subscribers.size > 0 && !this.#running.has(runId)) this.#running.set(runId, 0);
  }

  /** Drops every subscriber and the listening connection. */
  async close(): Promise<void> {
    this.#subscribers.clear();
    await this.#stop();
  }

  #unsubscribe(subscriber: Subscriber): void {
    if (this.#subscribers.delete(subscriber) && this.#subscribers.size === 0) void this.#stop();
  }

  #listen(): Promise<pg.PoolClient> {
    this.#client ??= (async () => {
      const client = await this.#pool.connect();
      client.on('notification', this.#onNotification);
      client.on('error', this.#onClientError);
      try {
        await client.query(`LISTEN ${RUN_CHANNEL}`);
      } catch (error) {
        client.off('notification', this.#onNotification);
        client.off('error', this.#onClientError);
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      this.#poller = setInterval(this.#poll, PROGRESS_POLL_MS);
      this.#poller.unref();
      return client;
    })().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #stop(): Promise<void> {
    clearInterval(this.#poller);
    clearTimeout(this.#reconnect);
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
    this.#running.clear();
    const pending = this.#client;
    this.#client = undefined;
    const client = await pending?.catch(() => undefined);
    if (client === undefined) return;
    client.off('notification', this.#onNotification);
    client.off('error', this.#onClientError);
    await client.query(`UNLISTEN ${RUN_CHANNEL}`).catch(() => undefined);
    client.release();
  }

  readonly #onNotification = (message: pg.Notification): void => {
    if (message.channel !== RUN_CHANNEL) return;
    const runId = Number(message.payload);
    if (!Number.isSafeInteger(runId) || this.#pending.has(runId)) return;
    const timer = setTimeout(() => {
      this.#pending.delete(runId);
      void this.#refresh(runId, true).catch(this.#onError);
    }, PROGRESS_THROTTLE_MS);
    this.#pending.set(runId, timer);
  };

  readonly #onClientError = (error: unknown): void => {
    this.#onError(error);
    const broken = this.#client;
    this.#client = undefined;
    clearInterval(this.#poller);
    void broken?.then((client) => client.release(true)).catch(() => undefined);
    if (this.#subscribers.size > 0) {
      this.#reconnect = setTimeout(() => {
        if (this.#subscribers.size > 0) this.#listen().catch(this.#onClientError);
      }, RECONNECT_DELAY_MS);
      this.#reconnect.unref();
    }
  };

  readonly #poll = (): void => {
    const now = Date.now();
    for (const [runId, refreshedAt] of this.#running) {
      if (now - refreshedAt >= PROGRESS_POLL_MS && !this.#pending.has(runId))
        void this.#refresh(runId, true).catch(this.#onError);
    }
  };

  /** What launched `runId` (read once per run). */
  async #triggerOf(runId: number): Promise<string> {
    const known = this.#triggers.get(runId);
    if (known !== undefined) return known;
    const row = await this.#db
      .selectFrom('strata_internal.runs')
      .select('trigger')
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    if (this.#triggers.size >= TRIGGER_CACHE_SIZE) this.#triggers.clear();
    this.#triggers.set(runId, row.trigger);
    return row.trigger;
  }

  async #refresh(runId: number, deliver: boolean): Promise<RunProgressMessage> {
    // No events wanted: only the status and counts are read.
    const [progress, trigger] = await Promise.all([
      runProgress(this.#db, runId, Number.MAX_SAFE_INTEGER),
      this.#triggerOf(runId),
    ]);
    const message: RunProgressMessage = {
      runId,
      status: progress.status,
      counts: progress.counts,
      total: progress.total,
      trigger,
    };
    if (progress.status === 'running' && this.#subscribers.size > 0)
      this.#running.set(runId, Date.now());
    else this.#running.delete(runId);
    if (deliver) {
      for (const subscriber of [...this.#subscribers]) {
        if (subscriber.runId !== undefined && subscriber.runId !== runId) continue;
        try {
          subscriber.listener(message);
        } catch (error) {
          this.#onError(error);
        }
      }
    }
    return message;
  }
}
