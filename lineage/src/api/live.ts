// One server-sent event stream (/api/events) shared by every page: subscribers get each run's
// progress, the header shows whether the stream is connected. EventSource reconnects by itself.
import type { RunProgress } from './types.js';

type Listener = (progress: RunProgress) => void;
type ConnectionListener = (connected: boolean) => void;

/** The shared live stream of run progress. */
export class LiveEvents {
  private source: EventSource | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  private connected = false;

  /** Calls `listener` for every progress message until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    this.ensureOpen();
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` now and whenever the connection opens or drops. */
  onConnection(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    listener(this.connected);
    this.ensureOpen();
    return () => this.connectionListeners.delete(listener);
  }

  private ensureOpen(): void {
    if (this.source !== undefined) return;
    const source = new EventSource('/api/events', { withCredentials: true });
    this.source = source;
    source.addEventListener('ready', () => this.setConnected(true));
    source.addEventListener('error', () => this.setConnected(false));
    source.addEventListener('progress', (event) => {
      let progress: RunProgress;
      try {
        progress = JSON.parse((event as MessageEvent<string>).data) as RunProgress;
      } catch {
        return;
      }
      for (const listener of [...this.listeners]) listener(progress);
    });
  }

  private setConnected(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    for (const listener of [...this.connectionListeners]) listener(connected);
  }
}

/**
 * Runs `task` at most once per `intervalMs` while `trigger()` keeps being called, and once more
 * after the last call, so a burst of progress messages refreshes a page a few times, not 1,000.
 */
export function throttled(task: () => Promise<void>, intervalMs: number): () => void {
  let running = false;
  let pending = false;
  let lastStart = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const start = (): void => {
    timer = undefined;
    if (running) {
      pending = true;
      return;
    }
    running = true;
    pending = false;
    lastStart = Date.now();
    task()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (pending) trigger();
      });
  };
  const trigger = (): void => {
    if (timer !== undefined) return;
    if (running) {
      pending = true;
      return;
    }
    timer = setTimeout(start, Math.max(0, lastStart + intervalMs - Date.now()));
  };
  return trigger;
}
