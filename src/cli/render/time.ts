// Human durations ("1.2s", "3m 12s") and relative times ("3m ago").

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration in milliseconds as `850ms`, `1.2s`, `3m 12s`, `2h 5m` or `3d 4h`. */
export function formatDuration(ms: number): string {
  if (ms < SECOND) return `${Math.round(ms)}ms`;
  if (ms < MINUTE) return `${(ms / SECOND).toFixed(ms < 10 * SECOND ? 1 : 0)}s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m ${Math.floor((ms % MINUTE) / SECOND)}s`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)}h ${Math.floor((ms % HOUR) / MINUTE)}m`;
  return `${Math.floor(ms / DAY)}d ${Math.floor((ms % DAY) / HOUR)}h`;
}

/** `date` relative to `now`: `just now`, `12s ago`, `3m ago`, `2h ago`, `5d ago`, `in 3m`. */
export function relativeTime(date: Date, now: Date): string {
  const delta = now.getTime() - date.getTime();
  const magnitude = Math.abs(delta);
  if (magnitude < 5 * SECOND) return 'just now';
  const amount =
    magnitude < MINUTE
      ? `${Math.floor(magnitude / SECOND)}s`
      : magnitude < HOUR
        ? `${Math.floor(magnitude / MINUTE)}m`
        : magnitude < DAY
          ? `${Math.floor(magnitude / HOUR)}h`
          : `${Math.floor(magnitude / DAY)}d`;
  return delta >= 0 ? `${amount} ago` : `in ${amount}`;
}

/** An ISO timestamp without milliseconds, for exact times in human output. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
