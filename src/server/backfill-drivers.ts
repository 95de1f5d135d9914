// The server's own drivers of the backfills it was asked to create, resume or retry: each is
// advanced in this process every DRIVE_POLL_MS until it is no longer running (or the server
// closes), so a backfill started from the browser progresses at once, not only at the
// automation daemon's next tick; and, once started, those left running by an earlier process.
// Any other driver may advance them too: each advance holds the backfill's row lock
// (docs/backfills.md).
import { driveBackfill, type BackfillLauncher } from '../backfills/index.js';
import type { Engine } from '../executor/index.js';

/** The backfills this server drives, one loop each. */
export class BackfillDrivers {
  readonly #engine: Pick<Engine, 'database' | 'graph'>;
  readonly #launcher: BackfillLauncher;
  readonly #onError: (error: unknown) => void;
  readonly #driving = new Map<number, Promise<void>>();
  readonly #stop = new AbortController();

  constructor(
    engine: Pick<Engine, 'database' | 'graph'>,
    launcher: BackfillLauncher,
    onError: (error: unknown) => void,
  ) {
    this.#engine = engine;
    this.#launcher = launcher;
    this.#onError = onError;
  }

  /** Drives backfill `id` in the background, unless this server drives it already. */
  drive(id: number, launchedBy: string): void {
    if (this.#stop.signal.aborted || this.#driving.has(id)) return;
    const loop = driveBackfill(this.#engine, this.#launcher, id, {
      launchedBy,
      signal: this.#stop.signal,
    })
      .then(() => undefined)
      .catch((error: unknown) => {
        if (!this.#stop.signal.aborted) this.#onError(error);
      })
      .finally(() => this.#driving.delete(id));
    this.#driving.set(id, loop);
  }

  /** Drives every backfill whose status is running; returns their ids. */
  async driveRunning(): Promise<number[]> {
    const running = await this.#engine.database.db
      .selectFrom('strata_internal.backfills')
      .select(['id', 'launched_by'])
      .where('status', '=', 'running')
      .orderBy('id')
      .execute();
    for (const backfill of running) this.drive(backfill.id, backfill.launched_by ?? 'strata serve');
    return running.map((backfill) => backfill.id);
  }

  /** Stops driving (the backfills stay running for another driver) and waits for the loops. */
  async close(): Promise<void> {
    this.#stop.abort();
    await Promise.all(this.#driving.values());
  }
}
