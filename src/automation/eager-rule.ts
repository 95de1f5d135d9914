// The eager rule: every missing or stale partition of an eager asset, as soon as it can be
// rebuilt (the holds of select-candidates.ts apply).
import type { AssetKey } from '../definitions/index.js';
import type { StatusReport } from '../planner/index.js';
import { whyRebuild, type Want } from './wants.js';

/** The wants of eager assets `keys`: their missing and stale partitions. */
export function eagerWants(report: StatusReport, keys: readonly AssetKey[]): Want[] {
  const wants: Want[] = [];
  for (const key of keys) {
    for (const [partition, status] of report.statuses.get(key) ?? []) {
      if (status.status === 'fresh') continue;
      wants.push({ key, partition, rule: 'eager', reason: whyRebuild(status), refresh: false });
    }
  }
  return wants;
}
