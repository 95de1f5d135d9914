// `strata status [SELECTION] [--check-freshness]`: one line per selected asset with its status,
// last materialization, freshness and main stale cause, and the totals. A failing freshness
// policy changes the exit status only with --check-freshness.
import { resolveSelection } from '../../graph/index.js';
import {
  countableAssets,
  statusDocument,
  statusWithVerdicts,
  type StatusDocument,
} from '../../planner/index.js';
import type { Command } from '../command.js';
import { renderStatus } from '../render/status-view.js';

/** `strata status`. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'Show which assets are fresh, stale, missing or blocked',
  usage: ['strata status [SELECTION] [options]'],
  details: [
    'SELECTION: key, prefix/*, +key (with everything upstream), key+ (downstream), 2+key,',
    'group:name, tag:k=v, owner:x, key[part,...]; join terms with commas. Default: every asset.',
    'FRESHNESS (shown when a selected asset has a policy): pass, warn or fail against it.',
    'CHECKS (shown when a selected asset has checks): verdicts on the latest materializations;',
    'blocked: a blocking check failed there, and dependants do not read it (strata why KEY).',
  ],
  options: {
    'check-freshness': {
      type: 'boolean',
      description: 'exit 1 when a selected asset fails its freshness policy (warnings do not)',
    },
  },
  positionals: { min: 0, max: 1, names: 'a SELECTION' },
  async run(context) {
    context.prefetchDatabase(); // connects and checks the schema while the definitions load
    const graph = await context.loadGraph();
    const selection = resolveSelection(graph, context.args[0]);
    const { db } = await context.database();
    const { report, verdicts } = await statusWithVerdicts(
      db,
      graph,
      selection.keys,
      context.now(),
      {
        bulk: countableAssets(selection),
      },
    );
    const summary = statusDocument(report, selection, verdicts);
    if (context.json) context.printJson(summary);
    else context.print(...renderStatus(summary, context.colors, context.now(), context.verbose));
    if (!context.flags.boolean('check-freshness')) return 0;
    return checkFreshness(summary, context.note);
  },
};

/** --check-freshness: 1 when a selected asset fails its policy, naming each on stderr. */
function checkFreshness(summary: StatusDocument, note: (line: string) => void): number {
  const withPolicy = summary.assets.filter((asset) => asset.freshness !== null);
  if (withPolicy.length === 0) {
    note(`freshness check: no asset in selection "${summary.selection}" has a freshness policy`);
    return 0;
  }
  const failing = withPolicy.filter((asset) => asset.freshness!.state === 'fail');
  if (failing.length === 0) return 0;
  const named = failing.map((asset) => {
    const { partition, overdueBy } = asset.freshness!;
    const where = partition === null ? asset.key : `${asset.key}[${partition}]`;
    return `${where} ${overdueBy ?? 'fails'}`;
  });
  note(
    `freshness check failed: ${failing.length} of ${withPolicy.length} polic${withPolicy.length === 1 ? 'y fails' : 'ies fail'}: ${named.join(', ')}`,
  );
  return 1;
}
