// The status of an asset partition and the causes of staleness: plain data, rendered alike by
// the CLI, the API and MCP.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { LatestVersion } from '../provenance/index.js';

/** Explanations list at most this many partitions per cause (plus a count) to stay readable. */
export const MAX_CAUSE_PARTITIONS = 5;

/** Root causes listed by `strata why` and the MCP why tool; the rest are counted. */
export const MAX_LISTED_ROOT_CAUSES = 20;

/** Why an asset partition is stale. `reason` is the human sentence. */
export type StaleCause =
  | {
      readonly category: 'code';
      readonly reason: string;
      readonly previous: string;
      readonly current: string;
    }
  | {
      readonly category: 'dependencies';
      readonly reason: string;
      readonly dependency: AssetKey;
      /** added/removed: the dependency itself; partitions: the set of its partitions read changed. */
      readonly change: 'added' | 'removed' | 'partitions';
      readonly added: readonly PartitionKey[];
      readonly removed: readonly PartitionKey[];
    }
  | {
      readonly category: 'data';
      readonly reason: string;
      readonly dependency: AssetKey;
      readonly partitions: readonly PartitionKey[];
      readonly count: number;
    }
  | {
      readonly category: 'upstream';
      readonly reason: string;
      readonly dependency: AssetKey;
      /** `blocked`: its latest materialization failed a blocking check; it cannot be read. */
      readonly dependencyStatus: 'missing' | 'stale' | 'blocked';
      readonly partitions: readonly PartitionKey[];
      readonly count: number;
    }
  | {
      /** The partition's own latest materialization failed a blocking check. */
      readonly category: 'check';
      readonly reason: string;
      /** The asset itself. */
      readonly dependency: AssetKey;
      readonly check: string;
      readonly materializationId: number;
      /** What the check found, in its words. */
      readonly description: string | null;
    };

export type StaleCategory = StaleCause['category'];

/** The order categories are listed in, and the order that breaks ties between them. */
export const STALE_CATEGORY_ORDER: readonly StaleCategory[] = [
  'check',
  'code',
  'dependencies',
  'data',
  'upstream',
];

/** The status of one asset partition. */
export type PartitionStatus =
  | { readonly status: 'missing'; readonly causes: readonly StaleCause[] }
  | {
      readonly status: 'stale';
      readonly causes: readonly StaleCause[];
      readonly latest: LatestVersion;
    }
  | { readonly status: 'fresh'; readonly latest: LatestVersion }
  | {
      /**
       * Nothing changed since its latest materialization, but a blocking check failed on it:
       * not rebuilt (the same inputs and code would fail again), and dependants do not read it,
       * until it is rebuilt (`--force`, new code or inputs) or the check passes (`strata check`).
       * `causes` are its `check` causes.
       */
      readonly status: 'blocked';
      readonly causes: readonly StaleCause[];
      readonly latest: LatestVersion;
    };

export type StatusName = PartitionStatus['status'];

/** A root cause found by walking upstream causes: an asset partition that is itself the origin. */
export interface RootCause {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly status: 'missing' | 'stale' | 'blocked';
  /** The non-upstream causes at the root (empty for a missing root). */
  readonly causes: readonly StaleCause[];
}
