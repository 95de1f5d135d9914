// The `strata why --json` document of one asset partition: its status, latest materialization,
// direct causes, the root causes found by walking upstream causes to their origins, and its
// freshness with what must be rebuilt to meet the policy. Built here so the CLI and MCP give
// the same answer.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { CheckResult, LatestVersion } from '../provenance/index.js';
import { verdictViews, type CheckVerdictView } from './status-document.js';
import { evaluateFreshness, type FreshnessPolicyView } from './asset-freshness.js';
import type { StatusReport } from './compute-status.js';
import { plainFreshness, type PartitionFreshness } from './freshness-judge.js';
import { freshnessRequirements } from './freshness-requirements.js';
import { rootCauses, statusOf } from './root-causes.js';
import type { RootCause, StaleCause, StatusName } from './status-types.js';

/** The why document of one asset partition. */
export interface WhyDocument {
  readonly key: AssetKey;
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly status: StatusName;
  /** The latest materialization, null when missing. */
  readonly latest: LatestVersion | null;
  /** The direct causes (empty when fresh). */
  readonly causes: readonly StaleCause[];
  /** Origins found by walking upstream causes, in topological order (cut to maxRootCauses). */
  readonly rootCauses: readonly RootCause[];
  /** How many root causes were left out of `rootCauses` (0 when all are listed). */
  readonly rootCausesOmitted: number;
  /** Against the asset's freshness policy; null without one. */
  readonly freshness: WhyFreshness | null;
  /** The latest verdict of each check on the latest materialization (when verdicts were read). */
  readonly checks: readonly CheckVerdictView[];
}

/** One asset partition to rebuild to meet a freshness policy. */
export interface RebuildView {
  readonly key: AssetKey;
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly status: StatusName;
  /** Fresh by lineage: only its age asks for a new materialization. */
  readonly refresh: boolean;
  readonly reason: string;
}

/** The freshness part of the why document. */
export interface WhyFreshness extends PartitionFreshness {
  readonly policy: FreshnessPolicyView;
  /** When it fails or warns: what must be rebuilt to meet the policy, and why; else null. */
  readonly requirement: {
    readonly reason: string;
    readonly rebuild: readonly RebuildView[];
  } | null;
}

/**
 * The why document of `key[partition]` (partition '' when unpartitioned) in `report`, which
 * must cover `key`; NotFoundError (with the partitions there are) for an unknown partition.
 * Every root cause is found; at most `maxRootCauses` are listed, with the count left out.
 */
export function whyDocument(
  report: StatusReport,
  key: AssetKey,
  partition: PartitionKey,
  maxRootCauses = Infinity,
  verdicts: readonly CheckResult[] = [],
): WhyDocument {
  const status = statusOf(report, key, partition);
  const roots = rootCauses(report, key, partition);
  const latest = status.status === 'missing' ? null : status.latest;
  return {
    key,
    partition: report.graph.node(key).definition.partitions === undefined ? null : partition,
    status: status.status,
    latest,
    causes: status.status === 'fresh' ? [] : status.causes,
    rootCauses: roots.slice(0, maxRootCauses),
    rootCausesOmitted: Math.max(0, roots.length - maxRootCauses),
    freshness: freshnessOf(report, key, partition),
    checks: verdictViews(verdicts, latest?.materializationId ?? null),
  };
}

/** The freshness of one asset partition and, when it fails or warns, what it requires. */
function freshnessOf(
  report: StatusReport,
  key: AssetKey,
  partition: PartitionKey,
): WhyFreshness | null {
  const evaluation = evaluateFreshness(report, key, { partitions: [partition] });
  const freshness = evaluation?.partitions.get(partition);
  if (evaluation === null || freshness === undefined) return null;
  const [requirement] = freshnessRequirements(report, {
    keys: [key],
    partitions: new Map([[key, [partition]]]),
  });
  const partitioned = (k: AssetKey) => report.partitionSets.get(k)?.partitioned === true;
  return {
    ...plainFreshness(freshness),
    policy: evaluation.asset.policy,
    requirement:
      requirement === undefined
        ? null
        : {
            reason: requirement.reason,
            rebuild: requirement.rebuild.map((r) => ({
              ...r,
              partition: partitioned(r.key) ? r.partition : null,
            })),
          },
  };
}
