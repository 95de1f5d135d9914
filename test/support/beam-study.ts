// The small study the plan tests execute: designs[plan] (the DOE asset: `baseline` and one
// partition per executed plan, its points from planOf) -> section[d] -> solve[d] -> front[plan]
// (the plan's designs), over one variable h in 0.05..0.2. Options vary what a test needs: solve's
// code version, a solve that fails or calls a tool server, the project's approval policy.
import { z } from 'zod';
import {
  asset,
  dynamicPartitions,
  producedBySamePartition,
  producedPartitions,
  study,
  type AssetContext,
  type McpStdioServer,
  type PlanApprovalPolicy,
} from '../../src/definitions/index.js';
import type { AssetGraph } from '../../src/graph/index.js';
import { planOf } from '../../src/plans/index.js';
import { graphOf } from './engine.js';

/** How a test's beam study differs. */
export interface BeamStudyOptions {
  /** The dynamic set of the DOE asset (one per test file keeps plans apart). */
  readonly setName: string;
  readonly solveVersion?: string;
  readonly failSolve?: boolean;
  /** A tool server `solver` whose `double` tool solve calls. */
  readonly solver?: McpStdioServer;
  readonly planApprovals?: Partial<PlanApprovalPolicy>;
}

/** The beam study's graph. */
export function beamStudyGraph(options: BeamStudyOptions): AssetGraph {
  const plans = dynamicPartitions(options.setName, { initialKeys: ['baseline'] });
  const designs = asset({
    key: 'designs',
    codeVersion: '1',
    partitions: plans,
    schema: z.object({ points: z.array(z.object({ key: z.string(), h: z.number() })) }),
    compute: (ctx: AssetContext) => {
      const plan = planOf(ctx);
      return {
        points: plan
          ? plan.points.map((p) => ({ key: p.key, h: p.values.h as number }))
          : [{ key: 'b1', h: 0.1 }],
      };
    },
  });
  const perDesign = producedPartitions(designs, (v) => v.points.map((p) => p.key));
  const section = asset({
    key: 'section',
    codeVersion: '1',
    partitions: perDesign,
    deps: { designs },
    schema: z.number(),
    compute: ({ inputs, partitionKey }) =>
      inputs.designs.points.find((p) => p.key === partitionKey)!.h * 100,
  });
  const solve = asset({
    key: 'solve',
    codeVersion: options.solveVersion ?? '1',
    partitions: perDesign,
    deps: { section },
    retry: { maxAttempts: 1 },
    schema: z.number(),
    compute: async ({ inputs, tools }) => {
      if (options.failSolve) throw new Error('the solver diverged');
      if (options.solver === undefined) return inputs.section * 2;
      const { structured } = await tools.call<{ y: number }>('solver', 'double', {
        x: inputs.section,
      });
      return structured.y;
    },
  });
  const front = asset({
    key: 'front',
    codeVersion: '1',
    partitions: plans,
    deps: { solve: producedBySamePartition(solve) },
    schema: z.record(z.string(), z.number()),
    compute: (ctx) => {
      const values = Object.values(ctx.inputs.solve);
      ctx.metadata({ designs: values.length, best: Math.min(...values) });
      return { ...ctx.inputs.solve };
    },
  });
  return graphOf([designs, section, solve, front], {
    ...(options.solver === undefined ? {} : { tools: { solver: options.solver } }),
    ...(options.planApprovals === undefined ? {} : { planApprovals: options.planApprovals }),
    studies: [
      study({
        key: 'beam',
        variables: { h: { min: 0.05, max: 0.2 } },
        assets: [designs, section, solve, front],
        designs,
      }),
    ],
  });
}

/** A plan of the beam study: 3 thin sections (h in 0.06..0.09), its pipeline `+front`. */
export function beamPlanDocument(
  title: string,
  options: {
    readonly seed?: number;
    readonly checkpoints?: readonly { readonly after: string; readonly note?: string }[];
    readonly limits?: Readonly<Record<string, number>>;
  } = {},
) {
  return {
    version: 1,
    study: 'beam',
    title,
    rationale: 'thin sections',
    predecessor: null,
    variables: { h: { min: 0.06, max: 0.09 } },
    doe: { kind: 'latin_hypercube', samples: 3, seed: options.seed ?? 5 },
    pipeline: '+front',
    limits: options.limits ?? {},
    checkpoints: options.checkpoints ?? [],
  };
}
