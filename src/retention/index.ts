// The face of retention/: pruning old events and automation ticks (`strata events prune`, the
// daemon's --prune-events-older-than), and where the events written since a time start.
export {
  KEEP_NEWEST_TICKS,
  PRUNE_BATCH_SIZE,
  pruneHistory,
  type PruneOptions,
  type PruneTally,
} from './prune-history.js';
export { selectFirstEventAfter } from './prune-sql.js';
