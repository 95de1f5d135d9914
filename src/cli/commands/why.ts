// `strata why KEY[PART]`: the status of one asset partition, its direct causes, the root
// causes found by walking the upstream causes to their origins, and its freshness against the
// asset's policy with what must be rebuilt to meet it.
import type { AssetKey, PartitionKey } from '../../definitions/index.js';
import {
  computeStatus,
  evaluateFreshness,
  freshnessRequirements,
  plainFreshness,
  rootCauses,
  statusOf,
  type FreshnessPolicyView,
  type PartitionFreshness,
  type RootCause,
  type StaleCause,
  type StatusName,
  type StatusReport,
} from '../../planner/index.js';
import { assetNodeOf, parseAssetPartition, type LatestVersion } from '../../provenance/index.js';
import type { Command } from '../command.js';
import { renderWhy } from '../render/why-view.js';

/** The `strata why --json` document. */
export interface WhyJson {
  readonly key: AssetKey;
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly status: StatusName;
  /** The latest materialization, null when missing. */
  readonly latest: LatestVersion | null;
  /** The direct causes (empty when fresh). */
  readonly causes: readonly StaleCause[];
  /** Origins found by walking upstream causes, in topological order. */
  readonly rootCauses: readonly RootCause[];
  /** Against the asset's freshness policy; null without one. */
  readonly freshness: WhyFreshnessJson | null;
}

/** One asset partition to rebuild to meet a freshness policy. */
export interface RebuildJson {
  readonly key: AssetKey;
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly status: StatusName;
  /** Fresh by lineage: only its age asks for a new materialization. */
  readonly refresh: boolean;
  readonly reason: string;
}

/** The freshness part of `strata why --json`. */
export interface WhyFreshnessJson extends PartitionFreshness {
  readonly policy: FreshnessPolicyView;
  /** When it fails or warns: what must be rebuilt to meet the policy, and why; else null. */
  readonly requirement: {
    readonly reason: string;
    readonly rebuild: readonly RebuildJson[];
  } | null;
}

/** `strata why`. */
export const whyCommand: Command = {
  name: 'why',
  summary: 'Explain the status of one asset partition, down to its root causes',
  usage: ['strata why KEY[PART] [options]'],
  details: ['Example: strata why sim/mesh[d03]'],
  options: {},
  positionals: { min: 1, max: 1, names: 'an asset partition: KEY or KEY[PART]' },
  async run(context) {
    const graph = await context.loadGraph();
    const target = parseAssetPartition(context.args[0]!);
    const node = assetNodeOf(graph, target.key); // unknown: NotFoundError with a suggestion
    const { db } = await context.database();
    const report = await computeStatus(db, graph, [node.key], context.now());
    const status = statusOf(report, node.key, target.partition);
    const why: WhyJson = {
      key: node.key,
      partition: node.definition.partitions === undefined ? null : target.partition,
      status: status.status,
      latest: status.status === 'missing' ? null : status.latest,
      causes: status.status === 'fresh' ? [] : status.causes,
      rootCauses: rootCauses(report, node.key, target.partition),
      freshness: freshnessOf(report, node.key, target.partition),
    };
    if (context.json) context.printJson(why);
    else context.print(...renderWhy(why, context.colors, context.now()));
  },
};

/** The freshness of one asset partition and, when it fails or warns, what it requires. */
function freshnessOf(
  report: StatusReport,
  key: AssetKey,
  partition: PartitionKey,
): WhyFreshnessJson | null {
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
