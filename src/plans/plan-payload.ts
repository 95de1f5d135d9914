// What a study's DOE asset reads for a plan's partition: the approved plan and its design points,
// stored as the payload of the plan's dynamic partition when the plan is executed (so the value
// of `designs[plan-…]` is fixed by the plan's id) and read back typed with planOf(ctx).
import { z } from 'zod';
import type { AssetContext } from '../definitions/index.js';
import { UserCodeError } from '../errors.js';
import { ExperimentPlanSchema, type ExperimentPlan } from './plan-schema.js';
import type { PlannedDesignPoint } from './design-points.js';

/** The payload of a plan's partition of its study's DOE asset. */
export interface PlanPayload {
  readonly id: string;
  readonly title: string;
  readonly document: ExperimentPlan;
  readonly points: readonly PlannedDesignPoint[];
}

const PlanPayloadSchema = z.object({
  id: z.string(),
  title: z.string(),
  document: ExperimentPlanSchema,
  points: z.array(
    z.object({ key: z.string(), values: z.record(z.string(), z.union([z.number(), z.string()])) }),
  ),
});

/**
 * The experiment plan a partition of a study's DOE asset computes, or undefined for a partition
 * that is not a plan's (e.g. the study's `baseline`).
 *
 * @example
 * compute: (ctx) => {
 *   const plan = planOf(ctx);
 *   const points = plan ? plan.points.map((p) => ({ key: p.key, ...p.values })) : baseline();
 *   return { points };
 * }
 */
export function planOf(
  context: Pick<AssetContext, 'partitionPayload' | 'assetKey' | 'partitionKey'>,
): PlanPayload | undefined {
  if (context.partitionPayload === undefined || context.partitionPayload === null) return undefined;
  const parsed = PlanPayloadSchema.safeParse(context.partitionPayload);
  if (!parsed.success)
    throw new UserCodeError(
      `${context.assetKey}[${context.partitionKey ?? ''}]: the partition's payload is not an experiment plan (${parsed.error.issues[0]!.message} at ${parsed.error.issues[0]!.path.join('.')})`,
    );
  return parsed.data;
}
