// The JSON Schema of the plan document (draft 2020-12), generated from its zod schema, for models
// (an MCP resource) and for people (`strata plans schema`): one definition, two readers.
import { z } from 'zod';
import { ExperimentPlanSchema } from './plan-schema.js';

/** The JSON Schema of a plan as it is proposed (defaults may be left out). */
export function experimentPlanJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ExperimentPlanSchema, { io: 'input' }) as Record<string, unknown>;
}
