// Only one automation daemon acts at a time, across processes and machines: the one holding a
// session-level advisory lock on a connection of its own. If that connection drops (process or
// machine gone), PostgreSQL releases the lock and another daemon takes over at its next tick.
import type pg from 'pg';

/** The advisory lock key of automation (an arbitrary constant no other strata lock uses). */
export const AUTOMATION_LOCK_KEY = 7_234_512_399_012_001n;

/** Whether this daemon is the acting one. */
export class Leadership {
  #client: pg.PoolClient | undefined;
  #acquiring: Promise<boolean> | undefined;
  #onError: (() => void) | undefined;

  constructor(private readonly pool: pg.Pool) {}

  /** True when this daemon holds the lock (acquiring it if free). */
  async ensure(): Promise<boolean> {
    if (this.#client !== undefined) return true;
    this.#acquiring ??= this.#tryAcquire().finally(() => (this.#acquiring = undefined));
    return this.#acquiring;
  }

  get isLeader(): boolean {
    return this.#client !== undefined;
  }

  /** Gives the lock up (the next daemon takes over at its next tick). */
  async release(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client === undefined) return;
    if (this.#onError !== undefined) client.off('error', this.#onError);
    try {
      await client.query('select pg_advisory_unlock($1)', [AUTOMATION_LOCK_KEY.toString()]);
      client.release();
    } catch (error) {
      client.release(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async #tryAcquire(): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock($1) as locked',
        [AUTOMATION_LOCK_KEY.toString()],
      );
      if (rows[0]?.locked !== true) {
        client.release();
        return false;
      }
    } catch (error) {
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    // A broken connection has lost the lock with it: the next tick tries again. Once released
    // (release()), the client is the pool's again and its errors are no longer ours.
    const onError = (): void => {
      client.off('error', onError);
      if (this.#client !== client) return;
      this.#client = undefined;
      client.release(true);
    };
    client.on('error', onError);
    this.#onError = onError;
    this.#client = client;
    return true;
  }
}
