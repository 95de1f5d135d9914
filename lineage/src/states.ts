// The state an asset or partition is shown in. The server's `state` puts a failed step before
// the status (running > failed > status), and a step fails when a blocking check fails on the
// value it recorded (docs/semantics.md, "Asset checks"): that failure is the check's verdict, and
// the partition's status, blocked, says more (its value exists, dependants do not read it, and
// rebuilding it or the check passing releases it). So a partition failed and blocked is shown
// blocked, and so is an asset whose failed partitions are no more than its blocked ones (one that
// failed otherwise too stays failed, its card adding "· blocked N").
import type { AssetStatus, NodeState, PartitionItem } from './api/types.js';

/** The state an asset is shown in (see above). */
export function shownState(status: Pick<AssetStatus, 'state' | 'failed' | 'blocked'>): NodeState {
  return status.state === 'failed' && status.blocked > 0 && status.failed <= status.blocked
    ? 'blocked'
    : status.state;
}

/** `status` with the state it is shown in. */
export function withShownState<T extends Pick<AssetStatus, 'state' | 'failed' | 'blocked'>>(
  status: T,
): T {
  const state = shownState(status);
  return state === status.state ? status : { ...status, state };
}

/** The state a partition is shown in: running, else blocked, else failed, else its status. */
export function partitionState(item: Pick<PartitionItem, 'status' | 'activity'>): string {
  if (item.activity === 'running') return 'running';
  if (item.status === 'blocked') return 'blocked';
  return item.activity ?? item.status;
}
