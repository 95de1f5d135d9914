// `strata plans`: the experiment plans of AI planners and the people who approve them
// (docs/plans.md). `schema` prints the JSON Schema of the plan document, the contract a planner
// writes to; `validate FILE` checks a plan against the definitions and its study; `propose`,
// `approve`, `reject`, `withdraw` and `stop` move plans through the gate (plan-states.ts), each
// as one transaction recording the OS user@host and a comment; `execute` and `continue` start
// the plan's next run and work on it (plan-run.ts); `list` and `show` read them, and `diff`
// shows what changed from one plan to another (plan-diff.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { ArgumentError } from '../argument-error.js';
import { hostName } from '../../util/host-name.js';
import { localActor } from '../../access/index.js';
import {
  changePlanState,
  experimentPlanId,
  experimentPlanJsonSchema,
  listPlans,
  loadPlan,
  parseExperimentPlan,
  planIssues,
  proposePlan,
  storedPlanJson,
  type PlanAction,
  type PlanActor,
  type StoredPlan,
} from '../../plans/index.js';
import { renderTable } from '../render/table.js';
import { relativeTime } from '../render/time.js';
import type { Command, CommandContext } from '../command.js';
import { runAction } from '../command-actions.js';
import { EXECUTION_OPTIONS } from '../execution-setup.js';
import { diffPlans } from './plan-diff.js';
import { runPlanSegment } from './plan-run.js';

type Action =
  | 'schema'
  | 'validate'
  | 'propose'
  | 'list'
  | 'show'
  | 'diff'
  | 'execute'
  | 'continue'
  | PlanAction;

/** `strata plans`. */
export const plansCommand: Command = {
  name: 'plans',
  summary: 'Experiment plans: propose, review, approve',
  usage: [
    'strata plans schema',
    'strata plans validate FILE',
    'strata plans propose FILE [--comment TEXT]',
    'strata plans list',
    'strata plans show ID',
    'strata plans diff [A] B',
    'strata plans approve|reject|withdraw|stop ID [--comment TEXT]',
    'strata plans execute|continue ID [--comment TEXT] [--concurrency N] [options]',
  ],
  details: [
    'schema    the JSON Schema (draft 2020-12) of the experiment plan document (docs/plans.md)',
    "validate  check a plan (a JSON file) against the definitions and its study's space; prints",
    '          its id, or every problem with its field (exit 1)',
    'propose   validate and store a plan as proposed (its id names its content)',
    'list      the plans, newest first; show ID: one plan and every change of its state',
    'diff      what changed from plan A to plan B, field by field; with B alone, from the plan',
    '          B revises',
    'approve   approve a proposed plan (for the code running now); reject: refuse it;',
    '          withdraw: take back your own; stop: end a plan waiting at a checkpoint',
    'execute   run an approved plan up to its first checkpoint (or to its end), here, with',
    '          progress; refused when the code of its pipeline changed since the approval',
    'continue  approve what a waiting plan built and run it to the next checkpoint or the end',
    'The CLI acts on the database directly: it records your OS user@host as who acted.',
  ],
  options: {
    comment: { type: 'string', valueName: 'TEXT', description: 'why, recorded with the change' },
    ...EXECUTION_OPTIONS,
  },
  positionals: { min: 1, max: 3, names: 'an action and its file or plan ids' },
  run(context) {
    // Only diff takes two plans.
    if (context.args.length > 2 && context.args[0] !== 'diff')
      throw new ArgumentError(
        `unexpected argument ${JSON.stringify(context.args[2])} for strata plans ${context.args[0]}`,
        { hint: 'strata plans --help shows the usage of each action' },
      );
    return runAction(context, 'plans', ACTION_HANDLERS);
  },
};

/** The CLI as an actor: the OS user on this host, with the database's full rights. */
function cliActor(): PlanActor {
  return { name: localActor(), role: 'admin', origin: `cli on ${hostName()}` };
}

/** The argument after the action, or a clear error. */
function argument(context: CommandContext, action: Action, what: string): string {
  const value = context.args[1];
  if (value === undefined)
    throw new UsageError(`strata plans ${action} needs ${what}`, {
      hint: `strata plans ${action} ${what === 'a plan id' ? 'plan-…' : 'plan.json'}`,
    });
  return value;
}

async function readPlanFile(context: CommandContext, file: string): Promise<string> {
  return readFile(path.resolve(context.io.cwd, file), 'utf8').catch((error: unknown) => {
    throw new UsageError(`cannot read the plan ${file}: ${(error as Error).message}`);
  });
}

function describePlan(context: CommandContext, plan: StoredPlan): string[] {
  const now = context.now();
  return [
    `${plan.id}  ${plan.state}  ${plan.title}`,
    `study ${plan.study}, pipeline ${plan.document.pipeline}, proposed by ${plan.proposedBy} ${relativeTime(plan.proposedAt, now)}${plan.predecessor === null ? '' : `, revises ${plan.predecessor}`}`,
    ...plan.transitions.map(
      (t) =>
        `  ${t.from ?? '-'} -> ${t.to}  by ${t.actor} (${t.origin}) ${relativeTime(t.at, now)}${t.approvals !== null && t.approvals > 1 ? ` (approval ${t.approvals})` : ''}${t.comment === null ? '' : `: ${t.comment}`}`,
    ),
  ];
}

/** approve, reject, withdraw: one transition of the gate. */
function transition(action: PlanAction) {
  return async (context: CommandContext): Promise<void> => {
    const id = argument(context, action, 'a plan id');
    const [graph, { db }] = await Promise.all([context.loadGraph(), context.database()]);
    const plan = await changePlanState(
      db,
      graph,
      id,
      action,
      cliActor(),
      context.flags.string('comment'),
    );
    if (context.json) context.printJson(storedPlanJson(plan));
    else context.print(`${plan.id} is ${plan.state} (by ${localActor()}).`);
  };
}

const ACTION_HANDLERS: Record<Action, (context: CommandContext) => Promise<number | void>> = {
  async schema(context) {
    context.printJson(experimentPlanJsonSchema());
  },
  async validate(context) {
    const file = argument(context, 'validate', 'the plan file');
    const text = await readPlanFile(context, file);
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
  async propose(context) {
    const file = argument(context, 'propose', 'the plan file');
    const text = await readPlanFile(context, file);
    const graph = await context.loadGraph();
    const { db } = await context.database();
    const plan = await proposePlan(db, graph, text, cliActor(), context.flags.string('comment'));
    if (context.json) context.printJson(storedPlanJson(plan));
    else
      context.print(
        `${plan.id} is ${plan.state}: ${plan.title}`,
        `Review it with: strata plans show ${plan.id}; approve it with: strata plans approve ${plan.id}`,
      );
  },
  async list(context) {
    const { db } = await context.database();
    const plans = await listPlans(db);
    if (context.json) {
      context.printJson({ plans: plans.map(storedPlanJson) });
      return;
    }
    if (plans.length === 0) {
      context.print('No plans (strata plans propose FILE proposes one).');
      return;
    }
    const now = context.now();
    context.print(
      ...renderTable([
        ['PLAN', 'STATE', 'STUDY', 'TITLE', 'PROPOSED'].map((h) => context.colors.bold(h)),
        ...plans.map((p) => [
          p.id,
          p.state,
          p.study,
          p.title,
          `${relativeTime(p.proposedAt, now)} by ${p.proposedBy}`,
        ]),
      ]),
    );
  },
  async show(context) {
    const id = argument(context, 'show', 'a plan id');
    const { db } = await context.database();
    const plan = await loadPlan(db, id);
    if (context.json) context.printJson(storedPlanJson(plan));
    else context.print(...describePlan(context, plan));
  },
  diff: diffPlans,
  approve: transition('approve'),
  reject: transition('reject'),
  withdraw: transition('withdraw'),
  stop: transition('stop'),
  execute: (context) =>
    runPlanSegment(context, argument(context, 'execute', 'a plan id'), 'execute'),
  continue: (context) =>
    runPlanSegment(context, argument(context, 'continue', 'a plan id'), 'continue'),
};
