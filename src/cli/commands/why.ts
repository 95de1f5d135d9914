// `strata why KEY[PART]`: the status of one asset partition, its direct causes, the root causes
// found by walking the upstream causes to their origins, and its freshness against the asset's
// policy with what must be rebuilt to meet it (the planner's why document).
import { MAX_LISTED_ROOT_CAUSES, statusWithVerdicts, whyDocument } from '../../planner/index.js';
import { assetNodeOf, parseAssetPartition } from '../../provenance/index.js';
import type { Command } from '../command.js';
import { renderWhy } from '../render/why-view.js';

/** `strata why`. */
export const whyCommand: Command = {
  name: 'why',
  summary: 'Explain the status of one asset partition, down to its root causes',
  usage: ['strata why KEY[PART] [options]'],
  details: ['Example: strata why sim/mesh[d03]'],
  options: {},
  positionals: { min: 1, max: 1, names: 'an asset partition: KEY or KEY[PART]' },
  async run(context) {
    context.prefetchDatabase(); // connects and checks the schema while the definitions load
    const graph = await context.loadGraph();
    const target = parseAssetPartition(context.args[0]!);
    const node = assetNodeOf(graph, target.key); // unknown: NotFoundError with a suggestion
    const { db } = await context.database();
    const { report, verdicts } = await statusWithVerdicts(db, graph, [node.key], context.now());
    // --json lists every root cause; the human output the first few and how many it left out.
    const limit = context.json ? Infinity : MAX_LISTED_ROOT_CAUSES;
    const why = whyDocument(
      report,
      node.key,
      target.partition,
      limit,
      verdicts?.get(node.key)?.get(target.partition),
    );
    if (context.json) context.printJson(why);
    else context.print(...renderWhy(why, context.colors, context.now()));
  },
};
