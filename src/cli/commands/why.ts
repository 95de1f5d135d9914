// `strata why KEY[PART]`: the status of one asset partition, its direct causes, and the root
// causes found by walking the upstream causes to their origins.
import type { AssetKey } from '../../definitions/index.js';
import {
  computeStatus,
  rootCauses,
  statusOf,
  type RootCause,
  type StaleCause,
  type StatusName,
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
    };
    if (context.json) context.printJson(why);
    else context.print(...renderWhy(why, context.colors, context.now()));
  },
};
