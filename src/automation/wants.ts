// What an automation rule wants rebuilt: one asset partition, the rule and the reason in words.
// The rules (eager-rule.ts, cron-rule.ts, freshness-rule.ts) produce wants; select-candidates.ts
// merges them and decides what a tick launches and what it holds back.
import type { AssetKey, AutomationRule, PartitionKey } from '../definitions/index.js';
import type { PartitionStatus } from '../planner/index.js';

/** An asset partition a rule wants rebuilt. */
export interface Want {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly rule: AutomationRule;
  readonly reason: string;
  /** Fresh by lineage: only its age asks for a rebuild, so only a forced run rebuilds it. */
  readonly refresh: boolean;
  /** On-cron: the cron tick this rebuild serves, recorded once launched. */
  readonly cronTick?: Date;
}

/** Why a missing or stale partition needs a rebuild, in words (its first cause). */
export function whyRebuild(status: PartitionStatus): string {
  if (status.status === 'fresh') return 'fresh';
  const first = status.causes[0]?.reason;
  if (status.status === 'missing')
    return first === undefined ? 'never materialized' : `missing (${first})`;
  return first ?? 'stale';
}
