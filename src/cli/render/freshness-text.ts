// Freshness in a few words for human output: a state painted green, yellow or red, and the
// status table's column (`fail: overdue by 12m`, `2 fail, 1 warn of 16: overdue by 3h`).
import type { AssetStatusView, FreshnessState } from '../../planner/index.js';
import type { Colors } from './colors.js';
import { relativeTime } from './time.js';

/** `text` in the color of `state`. */
export function paintFreshness(state: FreshnessState, text: string, colors: Colors): string {
  if (state === 'pass') return colors.green(text);
  return state === 'warn' ? colors.yellow(text) : colors.red(text);
}

/** "overdue by 12m" or "never materialized" when failing, "due in 1h" when warning, else "". */
export function freshnessDetail(
  freshness: { state: FreshnessState; overdueBy: string | null; deadline: Date | null },
  now: Date,
): string {
  if (freshness.state === 'fail') return freshness.overdueBy ?? '';
  if (freshness.state === 'warn' && freshness.deadline !== null)
    return `due ${relativeTime(freshness.deadline, now)}`;
  return '';
}

/** The FRESHNESS cell of an asset: empty without a policy. */
export function freshnessCell(asset: AssetStatusView, colors: Colors, now: Date): string {
  const freshness = asset.freshness;
  if (freshness === null) return '';
  const { counts, state } = freshness;
  const detail = freshnessDetail(freshness, now);
  if (!asset.partitioned || counts.total === 0) {
    return paintFreshness(state, detail === '' ? state : `${state}: ${detail}`, colors);
  }
  const parts = (['fail', 'warn', 'pass'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => paintFreshness(s, `${counts[s]} ${s}`, colors));
  const tally = parts.length === 1 ? `all ${parts[0]!}` : `${parts.join(', ')} of ${counts.total}`;
  return detail === '' ? tally : `${tally}: ${detail}`;
}
