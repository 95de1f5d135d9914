// Which selected partitions a plan holds back because they would read a partition a blocking
// check failed on: one that is not rebuilt in the same plan, or one held itself. Partitions are
// offered in topological order, so what they read has been decided before. Nothing is looked up
// when no latest materialization failed a blocking check.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { StatusReport } from './compute-status.js';
import { currentInputs } from './compute-status.js';
import type { HeldStep } from './create-plan.js';
import type { StatusName } from './status-types.js';

type Root = HeldStep['blockedBy'] & { readonly checks: readonly string[] };

const id = (key: AssetKey, partition: PartitionKey): string => `${key}\u0000${partition}`;

/** Decides, partition by partition, whether a plan holds it back. */
export class BlockedReads {
  readonly held: HeldStep[] = [];
  readonly #report: StatusReport;
  readonly #enabled: boolean;
  readonly #planned = new Set<string>();
  readonly #rootOfHeld = new Map<string, Root>();

  constructor(report: StatusReport) {
    this.#report = report;
    this.#enabled = report.blockingFailures.size > 0;
  }

  /** Records that `key[partition]` is rebuilt by the plan. */
  planned(key: AssetKey, partition: PartitionKey): void {
    if (this.#enabled) this.#planned.add(id(key, partition));
  }

  /** Whether to hold `key[partition]` back (recorded in `held`). */
  hold(key: AssetKey, partition: PartitionKey, status: StatusName): boolean {
    if (!this.#enabled) return false;
    const report = this.#report;
    const { expectedPartitions } = currentInputs(
      report.graph,
      key,
      partition,
      report.partitionSets,
      report.latest,
    );
    for (const [depKey, parts] of expectedPartitions)
      for (const depPartition of parts) {
        const root = this.#blockedRoot(depKey, depPartition);
        if (root === undefined) continue;
        const { checks, ...blockedBy } = root;
        this.held.push({ key, partition, status, blockedBy, checks });
        this.#rootOfHeld.set(id(key, partition), root);
        return true;
      }
    return false;
  }

  /** The blocked partition behind reading `key[partition]`, if that read is blocked. */
  #blockedRoot(key: AssetKey, partition: PartitionKey): Root | undefined {
    const own = id(key, partition);
    const held = this.#rootOfHeld.get(own);
    if (held !== undefined) return held;
    if (this.#planned.has(own)) return undefined;
    const status = this.#report.statuses.get(key)?.get(partition);
    if (status === undefined || status.status === 'fresh' || status.status === 'missing')
      return undefined;
    const checks = status.causes.flatMap((c) => (c.category === 'check' ? [c.check] : []));
    return checks.length === 0 ? undefined : { key, partition, checks };
  }
}
