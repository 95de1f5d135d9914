// The actions a backfill accepts in its status (src/backfills/backfill-control.ts): pause while
// running, resume while paused, retry while it has failed or held targets and was not cancelled,
// cancel until it ends. DOM-free, so it is tested without a browser.
import type { BackfillDetail } from '../api/types.js';

/** An action on a backfill (POST /api/backfills/{id}/ACTION). */
export type BackfillAction = 'pause' | 'resume' | 'cancel' | 'retry';

/** The actions that apply to `backfill` now (src/backfills/backfill-control.ts). */
export function applicableActions(
  backfill: Pick<BackfillDetail, 'status' | 'totals'>,
): BackfillAction[] {
  const { status, totals } = backfill;
  const actions: BackfillAction[] = [];
  if (status === 'running') actions.push('pause');
  if (status === 'paused') actions.push('resume');
  if (status !== 'canceled' && totals.failed + totals.held > 0) actions.push('retry');
  if (status === 'running' || status === 'paused') actions.push('cancel');
  return actions;
}
