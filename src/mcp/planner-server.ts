// The MCP server an AI planner talks to (`strata mcp`; docs/mcp.md, docs/plans.md): it reads the
// asset graph, statuses, lineage, provenance, runs, results and plans (read-tools.ts), checks,
// proposes and revises plans (plan-revision-tools.ts), and withdraws its own. It cannot approve:
// there is no such tool, and the gate refuses the planner role anyway (src/plans/plan-states.ts).
// Answers are compact JSON (a model's context is small) and lists are paginated.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { loadPlanRuns } from '../executor/index.js';
import type { AssetGraph } from '../graph/index.js';
import {
  changePlanState,
  experimentPlanId,
  experimentPlanJsonSchema,
  listPlans,
  loadPlan,
  parseExperimentPlan,
  planIssues,
  PlanValidationError,
  proposePlan,
  storedPlanJson,
  type PlanActor,
} from '../plans/index.js';
import type { Database } from '../store/index.js';
import { proposalAnswer, registerPlanRevisionTools } from './plan-revision-tools.js';
import { registerPrompts } from './prompts.js';
import { registerReadTools } from './read-tools.js';
import { answer, guarded, READ_ONLY } from './tool-results.js';

/** The version this server reports to MCP clients (the tools' contract, not the package's). */
export const MCP_SERVER_VERSION = '1.2.0';

/** Items per page of a list. */
const PAGE_SIZE = 100;

/** What the server works on, and as whom. */
export interface PlannerServerContext {
  readonly graph: AssetGraph;
  readonly db: Kysely<Database>;
  /** The planner: its name is recorded with what it proposes. */
  readonly actor: PlanActor;
  readonly version: string;
  /** The instant statuses are evaluated at (default: the clock). */
  readonly now?: () => Date;
  /** Where a person reviews a plan in the lineage browser (under `strata serve`). */
  readonly reviewUrl?: (planId: string) => string;
}

const page = {
  cursor: z.number().int().min(0).optional().describe('where the page starts (from nextCursor)'),
};

/** The runs of plan `id`, oldest first, compact: checkpoints counted from 1. */
async function planRuns(db: Kysely<Database>, id: string) {
  return (await loadPlanRuns(db, id)).map((run) => ({
    runId: run.runId,
    status: run.status,
    stopsAtCheckpoint: run.checkpoint === null ? null : run.checkpoint + 1,
    launchedBy: run.launchedBy,
    steps: { done: run.done, total: run.total },
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  }));
}

/** The planner's MCP server on `context`. */
export function plannerServer(context: PlannerServerContext): McpServer {
  const { graph, db, actor } = context;
  const server = new McpServer(
    { name: 'strata', version: context.version },
    {
      instructions:
        'strata records how engineering artifacts were built. You may read assets, studies, ' +
        'statuses (status, why), lineage, provenance, runs and results (materializations) and ' +
        'plans, and propose experiment plans (plan_schema gives their JSON Schema; validate_plan ' +
        'checks one; the prompt propose_next_experiment says how) or revise one (revise_plan; ' +
        'diff_plans compares two). A named human approves plans; you cannot.',
    },
  );

  server.registerTool(
    'list_assets',
    {
      description: 'The assets of the graph: key, group, description, dependencies, partitioned.',
      inputSchema: page,
      annotations: READ_ONLY,
    },
    async ({ cursor = 0 }) => {
      const nodes = graph.order.slice(cursor, cursor + PAGE_SIZE).map((key) => {
        const node = graph.node(key);
        return {
          key,
          group: node.definition.group,
          description: node.definition.description ?? null,
          dependencies: node.dependencies.map((d) => d.key),
          partitioned: node.definition.partitions !== undefined,
        };
      });
      const next = cursor + PAGE_SIZE < graph.order.length ? cursor + PAGE_SIZE : null;
      return answer({ assets: nodes, nextCursor: next, total: graph.order.length });
    },
  );

  server.registerTool(
    'list_studies',
    {
      description: 'The studies plans may vary: variables with bounds, levels, and their assets.',
      annotations: READ_ONLY,
    },
    async () => answer({ studies: [...graph.definitions.studies.values()] }),
  );

  server.registerTool(
    'plan_schema',
    { description: 'The JSON Schema of an experiment plan.', annotations: READ_ONLY },
    async () => answer(experimentPlanJsonSchema()),
  );

  server.registerTool(
    'validate_plan',
    {
      description:
        'Checks a plan against the definitions and its study; every problem with its field.',
      inputSchema: { plan: z.unknown().describe('the plan document') },
      annotations: READ_ONLY,
    },
    async ({ plan }) =>
      guarded(async () => {
        try {
          const parsed = parseExperimentPlan(plan);
          const issues = planIssues(parsed, graph);
          return answer({ valid: issues.length === 0, id: experimentPlanId(parsed), issues });
        } catch (error) {
          if (error instanceof PlanValidationError)
            return answer({ valid: false, id: null, issues: error.issues });
          throw error;
        }
      }),
  );

  server.registerTool(
    'propose_plan',
    {
      description:
        'Proposes a plan: checked, then stored as proposed for a human to approve. Returns its ' +
        'id and state, the dry run (per asset of the pipeline: the plan’s partitions and how ' +
        'many are built already, e.g. design points another plan sampled) and where a human ' +
        'reviews it.',
      inputSchema: {
        plan: z.unknown().describe('the plan document'),
        comment: z.string().max(2_000).optional().describe('why, for the approver'),
      },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async ({ plan, comment }) =>
      guarded(async () => {
        const stored = await proposePlan(db, graph, plan, actor, comment);
        return answer(await proposalAnswer(context, stored));
      }),
  );

  server.registerTool(
    'get_plan',
    {
      description:
        'One plan: its document, state, every change of its state, and its runs (one per ' +
        'segment: up to each checkpoint, then the rest). Its results: the tool ' +
        '`materializations` with `plan` set to its id.',
      inputSchema: { id: z.string().describe('plan-…') },
      annotations: READ_ONLY,
    },
    async ({ id }) =>
      guarded(async () =>
        answer({ ...storedPlanJson(await loadPlan(db, id)), runs: await planRuns(db, id) }),
      ),
  );

  server.registerTool(
    'list_plans',
    {
      description: 'Plans, newest first: id, title, study, state, who proposed them.',
      inputSchema: page,
      annotations: READ_ONLY,
    },
    async ({ cursor = 0 }) => {
      // One more than a page: whether there is a next one.
      const plans = await listPlans(db, { offset: cursor, limit: PAGE_SIZE + 1 });
      return answer({
        plans: plans.slice(0, PAGE_SIZE).map((p) => ({
          id: p.id,
          title: p.title,
          study: p.study,
          state: p.state,
          proposedBy: p.proposedBy,
        })),
        nextCursor: plans.length > PAGE_SIZE ? cursor + PAGE_SIZE : null,
      });
    },
  );

  server.registerTool(
    'withdraw_plan',
    {
      description: 'Withdraws a proposed plan that you proposed.',
      inputSchema: { id: z.string(), comment: z.string().max(2_000).optional() },
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async ({ id, comment }) =>
      guarded(async () =>
        answer(storedPlanJson(await changePlanState(db, graph, id, 'withdraw', actor, comment))),
      ),
  );

  server.registerResource(
    'plan-schema',
    'strata://plans/schema',
    { description: 'The JSON Schema of an experiment plan', mimeType: 'application/schema+json' },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/schema+json',
          text: JSON.stringify(experimentPlanJsonSchema()),
        },
      ],
    }),
  );
  registerPlanRevisionTools(server, context);
  registerReadTools(server, {
    graph,
    db,
    ...(context.now === undefined ? {} : { now: context.now }),
  });
  registerPrompts(server, graph);
  return server;
}
