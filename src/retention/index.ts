// The face of retention/: pruning old events and automation ticks (`strata events prune`, the
// daemon's --prune-events-older-than).
export {
  KEEP_NEWEST_TICKS,
  PRUNE_BATCH_SIZE,
  pruneHistory,
  type PruneOptions,
  type PruneTally,
} from './prune-history.js';
