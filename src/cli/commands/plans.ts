// `strata plans schema`: the experiment plans of AI planners and the people who approve them
// (docs/plans.md). Its first action prints the JSON Schema of the plan document, the contract a
// planner writes to; proposing, reviewing and approving plans come next.
import { experimentPlanJsonSchema } from '../../plans/index.js';
import type { Command, CommandContext } from '../command.js';
import { runAction } from '../command-actions.js';

type Action = 'schema';

/** `strata plans`. */
export const plansCommand: Command = {
  name: 'plans',
  summary: 'Experiment plans: print the JSON Schema of a plan',
  usage: ['strata plans schema'],
  details: [
    'schema   the JSON Schema (draft 2020-12) of the experiment plan document (docs/plans.md)',
  ],
  options: {},
  positionals: { min: 1, max: 1, names: 'an action: schema' },
  run: (context) => runAction(context, 'plans', ACTION_HANDLERS),
};

const ACTION_HANDLERS: Record<Action, (context: CommandContext) => Promise<void>> = {
  async schema(context) {
    context.printJson(experimentPlanJsonSchema());
  },
};
