// `strata status [SELECTION]`: one line per selected asset with its status, last
// materialization and main stale cause, and the totals.
import { resolveSelection } from '../../graph/index.js';
import { computeStatus } from '../../planner/index.js';
import type { Command } from '../command.js';
import { renderStatus } from '../render/status-view.js';
import { summarizeStatus } from './status-summary.js';

/** `strata status`. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'Show which assets are fresh, stale or missing',
  usage: ['strata status [SELECTION] [options]'],
  details: [
    'SELECTION: key, prefix/*, +key (with everything upstream), key+ (downstream), 2+key,',
    'group:name, tag:k=v, owner:x, key[part,...]; join terms with commas. Default: every asset.',
  ],
  options: {},
  positionals: { min: 0, max: 1, names: 'a SELECTION' },
  async run(context) {
    const graph = await context.loadGraph();
    const selection = resolveSelection(graph, context.args[0]);
    const { db } = await context.database();
    const report = await computeStatus(db, graph, selection.keys, context.now());
    const summary = summarizeStatus(report, selection);
    if (context.json) context.printJson(summary);
    else context.print(...renderStatus(summary, context.colors, context.now(), context.verbose));
  },
};
