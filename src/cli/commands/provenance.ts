// `strata provenance ID|KEY[PART]`: every recorded field of one materialization, its inputs
// and its artifacts.
import { loadProvenance, resolveMaterialization } from '../../provenance/index.js';
import type { Command } from '../command.js';
import { renderProvenance } from '../render/provenance-view.js';

/** `strata provenance`. */
export const provenanceCommand: Command = {
  name: 'provenance',
  summary: 'Show everything recorded about one materialization',
  usage: ['strata provenance MATERIALIZATION_ID|KEY[PART] [options]'],
  details: ['KEY[PART] means the latest materialization of that asset partition.'],
  options: {},
  positionals: { min: 1, max: 1, names: 'a materialization: an id, KEY or KEY[PART]' },
  async run(context) {
    const ref = context.args[0]!;
    const graph = /^#?\d+$/.test(ref) ? undefined : await context.tryLoadGraph();
    const { db } = await context.database();
    const target = await resolveMaterialization(db, graph, ref);
    const provenance = await loadProvenance(db, target.materializationId);
    if (context.json) context.printJson(provenance);
    else
      context.print(
        ...renderProvenance(provenance, context.colors, context.now(), context.verbose),
      );
  },
};
