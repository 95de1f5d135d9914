// The face of automation/: the daemon that keeps automated assets current, and its history.
export { BACKOFF_BASE_MS, BACKOFF_MAX_MS, backoffDelayMs } from './backoff.js';
export {
  AutomationDaemon,
  type ActedTick,
  DEFAULT_TICK_INTERVAL_MS,
  type DaemonEngine,
  type DaemonOptions,
  type RunStarter,
  type TickResult,
} from './daemon.js';
export { AUTOMATION_LOCK_KEY } from './leadership.js';
export { listTicks, TICK_RETENTION_MS } from './tick-log.js';
