// `strata automation history [--limit N]`: the ticks of the automation daemon, newest first:
// what each evaluated, the run it launched and why, and what it held back and why.
import { ArgumentError } from '../argument-error.js';
import type { Command } from '../command.js';
import { renderTickHistory } from '../render/tick-view.js';

/** Ticks listed unless --limit says otherwise. */
const DEFAULT_LIMIT = 20;
/** The most --limit accepts (a week of 30 s ticks is 20,160). */
const MAX_LIMIT = 10_000;

/** `strata automation`. */
export const automationCommand: Command = {
  name: 'automation',
  summary: 'Show what the automation daemon evaluated, launched and held back',
  usage: ['strata automation history [--limit N] [options]'],
  details: ['Ticks are kept for 7 days. `strata daemon` and `strata serve` run the daemon.'],
  options: {
    limit: {
      type: 'string',
      valueName: 'N',
      description: `ticks to show, newest first (default ${DEFAULT_LIMIT})`,
    },
  },
  positionals: { min: 1, max: 1, names: 'an action: history' },
  async run(context) {
    const action = context.args[0]!;
    if (action !== 'history') {
      throw new ArgumentError(`unknown action ${JSON.stringify(action)} of strata automation`, {
        hint: 'strata automation history',
      });
    }
    const raw = context.flags.string('limit');
    const limit = raw === undefined ? DEFAULT_LIMIT : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new ArgumentError(`--limit must be an integer from 1 to ${MAX_LIMIT}, not ${raw}`);
    }
    const { listTicks } = await import('../../automation/index.js');
    const { db } = await context.database();
    const ticks = await listTicks(db, { limit });
    if (context.json) context.printJson({ ticks });
    else context.print(...renderTickHistory(ticks, context.colors, context.now()));
  },
};
