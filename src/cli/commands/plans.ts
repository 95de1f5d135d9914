// `strata plans schema|validate`: the experiment plans of AI planners and the people who approve
// them (docs/plans.md). `schema` prints the JSON Schema of the plan document, the contract a
// planner writes to; `validate FILE` checks a plan against the definitions and its study and
// prints its id, or every problem with its field. Proposing, reviewing and approving come next.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import {
  experimentPlanId,
  experimentPlanJsonSchema,
  parseExperimentPlan,
  planIssues,
} from '../../plans/index.js';
import type { Command, CommandContext } from '../command.js';
import { runAction } from '../command-actions.js';

type Action = 'schema' | 'validate';

/** `strata plans`. */
export const plansCommand: Command = {
  name: 'plans',
  summary: 'Experiment plans: their JSON Schema, and checking one',
  usage: ['strata plans schema', 'strata plans validate FILE [--json]'],
  details: [
    'schema    the JSON Schema (draft 2020-12) of the experiment plan document (docs/plans.md)',
    "validate  check a plan (a JSON file) against the definitions and its study's space; prints",
    '          its id, or every problem with its field (exit 1)',
  ],
  options: {},
  positionals: {
    min: 1,
    max: 2,
    names: 'an action (schema or validate) and, for validate, a file',
  },
  run: (context) => runAction(context, 'plans', ACTION_HANDLERS),
};

const ACTION_HANDLERS: Record<Action, (context: CommandContext) => Promise<number | void>> = {
  async schema(context) {
    context.printJson(experimentPlanJsonSchema());
  },
  async validate(context) {
    const file = context.args[1];
    if (file === undefined)
      throw new UsageError('strata plans validate needs the plan file', {
        hint: 'strata plans validate plan.json',
      });
    const text = await readFile(path.resolve(context.io.cwd, file), 'utf8').catch(
      (error: unknown) => {
        throw new UsageError(`cannot read the plan ${file}: ${(error as Error).message}`);
      },
    );
    const graph = await context.loadGraph();
    const plan = parseExperimentPlan(text);
    const issues = planIssues(plan, graph);
    const id = experimentPlanId(plan);
    if (context.json) {
      context.printJson({ valid: issues.length === 0, id, issues });
    } else if (issues.length === 0) {
      context.print(
        `${file}: valid, ${id} (${plan.title}; study ${plan.study}, pipeline ${plan.pipeline})`,
      );
    } else {
      context.print(
        `${file}: not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}):`,
        ...issues.map((issue) => `  ${issue.path === '' ? 'plan' : issue.path}: ${issue.message}`),
      );
    }
    return issues.length > 0 ? 1 : 0;
  },
};
