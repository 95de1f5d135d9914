// The planner's MCP tools for revising plans (docs/mcp.md, "Revising a plan"): revise_plan
// proposes a new plan made of changes merged over one already proposed (its predecessor), and
// diff_plans reads what changed from one plan to another. Also what a proposal answers, shared
// with propose_plan: the stored plan, the dry run and where a person reviews it.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AssetGraph } from '../graph/index.js';
import {
  comparePlans,
  loadPlan,
  planDryRun,
  planRevision,
  proposePlan,
  storedPlanJson,
  type PlanActor,
  type StoredPlan,
} from '../plans/index.js';
import type { Database } from '../store/index.js';
import { answer, blamed, guarded, READ_ONLY } from './tool-results.js';

/** What the revision tools work on, and as whom. */
export interface RevisionToolsContext {
  readonly graph: AssetGraph;
  readonly db: Kysely<Database>;
  readonly actor: PlanActor;
  readonly reviewUrl?: (planId: string) => string;
}

/** The answer to a proposal: the stored plan, its dry run, and where a person reviews it. */
export async function proposalAnswer(context: RevisionToolsContext, stored: StoredPlan) {
  return {
    ...storedPlanJson(stored),
    dryRun: await planDryRun(context.db, context.graph, stored.id, stored.document),
    review: {
      ...(context.reviewUrl === undefined ? {} : { url: context.reviewUrl(stored.id) }),
      cli: `strata plans show ${stored.id}; strata plans approve ${stored.id}`,
    },
  };
}

const PLAN_ID = z.string().describe('plan-…');

/** Registers revise_plan and diff_plans on `server`. */
export function registerPlanRevisionTools(server: McpServer, context: RevisionToolsContext): void {
  const { graph, db, actor } = context;

  server.registerTool(
    'revise_plan',
    {
      description:
        'Proposes a revision of plan `id` (plans never change once proposed): `changes` is a ' +
        'partial plan merged over it (objects key by key, arrays replaced, null removes a ' +
        'field); `predecessor` is set to `id`. Checked and stored like propose_plan, with the ' +
        'same answer, and `diff`: every field that changed from `id`.',
      inputSchema: {
        id: PLAN_ID.describe('the plan to revise'),
        changes: z
          .record(z.string(), z.unknown())
          .describe('fields of the plan document to change, e.g. { "doe": { "samples": 24 } }'),
        comment: z.string().max(2_000).optional().describe('why, for the approver'),
      },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async ({ id, changes, comment }) =>
      guarded(async () => {
        const predecessor = await blamed('id', () => loadPlan(db, id));
        const revision = await blamed('changes', () => planRevision(graph, predecessor, changes));
        const stored = await proposePlan(db, graph, revision.document, actor, comment);
        return answer({ ...(await proposalAnswer(context, stored)), diff: revision.changes });
      }),
  );

  server.registerTool(
    'diff_plans',
    {
      description:
        'What changed from plan `a` to plan `b`, field by field: each change has its path ' +
        '(`variables.height_m.max`, `checkpoints[0].note`), kind (added, removed, changed), ' +
        'and the values before and after. Without `a`: from the plan `b` revises.',
      inputSchema: {
        a: PLAN_ID.optional().describe('the earlier plan (default: the one b revises)'),
        b: PLAN_ID.describe('the later plan'),
      },
      annotations: READ_ONLY,
    },
    async ({ a, b }) => guarded(async () => answer(await comparePlans(db, b, a))),
  );
}
