// Riding out a database outage (a restart, a failover, a network blip): connection-level
// failures are told apart from every other error, and a process that opted in waits for the
// server with backoff instead of failing, for a bounded time, telling its listener once when the
// server went away and once when it came back. One tracker per process: every pool and every
// retried transaction share one notion of "down since".
import { EnvironmentError } from '../errors.js';
import { durationInWords } from '../util/duration-text.js';

/** Socket-level failures of a connection that never reached or lost the server. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server going away: admin_shutdown, crash_shutdown, cannot_connect_now (starting
 * up or shutting down), and class 08 (connection exception).
 */
const SERVER_GONE_STATES = new Set(['57P01', '57P02', '57P03']);

/** node-postgres' messages for a connection that died under it. */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'the database system is',
];

/** Backoff between tries while the database is down. */
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 2_000;

/** True when `error` (or its cause) says the connection to the database failed, not a query. */
export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e instanceof DatabaseUnavailableError) return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (CONNECTION_CODES.has(code) || SERVER_GONE_STATES.has(code) || code.startsWith('08'))
        return true;
    }
    if (CONNECTION_MESSAGES.some((text) => e instanceof Error && e.message.includes(text)))
      return true;
    e = e.cause;
  }
  return false;
}

/** The database stayed unreachable for longer than the process waits for it. */
export class DatabaseUnavailableError extends EnvironmentError {
  constructor(reason: string, waitedMs: number, cause: unknown) {
    super(
      `PostgreSQL has been unreachable for ${durationInWords(waitedMs)} (${reason}); giving up`,
      {
        cause,
        hint: 'Start the database (`strata db start` for the embedded one) and run again.',
        retryable: true,
      },
    );
  }
}

/** Told when the database goes away and comes back (once per outage). */
export interface OutageListener {
  /** The first connection failure of an outage; strata waits up to `limitMs`. */
  down(reason: string, limitMs: number): void;
  /** The database answered again after `downMs`. */
  up(downMs: number): void;
}

/** Waits for the database through outages, for processes that opted in with `rideOut`. */
export class DatabaseOutage {
  #limitMs = 0;
  #listener: OutageListener | undefined;
  #downSince: number | undefined;
  #reason = '';
  #gaveUp: DatabaseUnavailableError | undefined;
  #outages = 0;

  /** From now on, wait up to `limitMs` for an unreachable database instead of failing at once. */
  rideOut(limitMs: number, listener: OutageListener): void {
    this.#limitMs = limitMs;
    this.#listener = listener;
  }

  /** True while the last contact with the database failed. */
  get down(): boolean {
    return this.#downSince !== undefined;
  }

  /** How many outages this process has seen: compare two readings to tell whether one began. */
  get outages(): number {
    return this.#outages;
  }

  /** The error every caller gets once the process stopped waiting, if it did. */
  get gaveUp(): DatabaseUnavailableError | undefined {
    return this.#gaveUp;
  }

  /**
   * Runs `operation` (a connection, a query or a whole transaction: it must be safe to run again
   * after a connection failure) until it succeeds or fails for another reason. Connection
   * failures are retried with backoff while the outage lasts less than the limit; after that,
   * every call fails with DatabaseUnavailableError. Without `rideOut`, runs it once.
   */
  async retry<T>(operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let delay = FIRST_DELAY_MS; ; delay = Math.min(MAX_DELAY_MS, delay * 2)) {
      if (this.#gaveUp) throw this.#gaveUp;
      try {
        const result = await operation();
        this.#markUp();
        return result;
      } catch (error) {
        if (this.#limitMs <= 0 || !isConnectionError(error)) throw error;
        this.#markDown(error);
        const waited = Date.now() - this.#downSince!;
        if (waited >= this.#limitMs) {
          this.#gaveUp = new DatabaseUnavailableError(this.#reason, waited, error);
          throw this.#gaveUp;
        }
        await pause(Math.min(delay, this.#limitMs - waited), signal);
      }
    }
  }

  #markDown(error: unknown): void {
    if (this.#downSince !== undefined) return;
    this.#outages++;
    this.#downSince = Date.now();
    this.#reason = reasonOf(error);
    this.#listener?.down(this.#reason, this.#limitMs);
  }

  #markUp(): void {
    if (this.#downSince === undefined) return;
    const downMs = Date.now() - this.#downSince;
    this.#downSince = undefined;
    this.#listener?.up(downMs);
  }
}

function reasonOf(error: unknown): string {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
    if (!(e.cause instanceof Error)) return e.message;
    e = e.cause;
  }
  return String(error);
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
