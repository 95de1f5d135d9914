// `strata observe [SELECTION] [--due]`: observes source assets now and records what is new. A new
// data version makes what depends on the source stale (and eager automation rebuilds it).
import type { Command } from '../command.js';
import { executionSetup } from '../execution-setup.js';
import { renderObservations } from '../render/observation-view.js';
import { ArgumentError } from '../argument-error.js';

/** `strata observe`. */
export const observeCommand: Command = {
  name: 'observe',
  summary: 'Observe source assets and record the versions they have now',
  usage: ['strata observe [SELECTION] [--due] [--json] [options]'],
  details: [
    'Runs the observe function of every source asset in SELECTION (default: all of them). A new',
    'data version is recorded as an observation, and what depends on the source becomes stale;',
    'the same version only moves its last-observed time (what freshness policies judge).',
    '--due observes only the partitions whose observeEvery has elapsed, as the daemon does.',
    'Exits 1 when an observation fails; the source keeps its last version.',
  ],
  options: {
    due: { type: 'boolean', description: 'only sources whose observeEvery has elapsed' },
  },
  positionals: { min: 0, max: 1, names: 'a SELECTION' },
  async run(context) {
    const { engine } = await executionSetup(context);
    const { graph } = engine;
    const { observeSources, observedEntries, sourceKeys } = await import('../../executor/index.js');
    const { resolveSelection } = await import('../../graph/index.js');
    const all = sourceKeys(graph);
    const selection = context.args[0];
    const keys =
      selection === undefined ? all : sourceKeys(graph, resolveSelection(graph, selection).keys);
    if (selection !== undefined && keys.length === 0)
      throw new ArgumentError(`selection "${selection}" contains no source asset`, {
        hint:
          all.length === 0
            ? 'no source assets are declared (sourceAsset())'
            : `source assets: ${all.join(', ')}`,
      });
    const outcomes = await observeSources(engine, {
      keys,
      onlyDue: context.flags.boolean('due'),
      now: () => context.now(),
    });
    const entries = observedEntries(outcomes);
    if (context.json) context.printJson({ observed: entries, outcomes });
    else if (all.length === 0) context.print('No source assets are declared (sourceAsset()).');
    else if (outcomes.length === 0) context.print('No source asset is due for an observation.');
    else context.print(...renderObservations(entries, context.colors));
    return outcomes.some((o) => o.outcome === 'failed') ? 1 : 0;
  },
};
