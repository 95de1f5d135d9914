// The experiment plan document, version 1 (docs/plans.md): what a planner proposes and a human
// approves. One zod schema is the definition; its JSON Schema (plan-json-schema.ts) is what models
// and people read. Strict: an unknown field is an error, so a typo never silently means nothing.
import { z } from 'zod';

/** Bounds of one continuous variable: min < max. */
export const VariableBoundsSchema = z
  .strictObject({
    min: z.number().meta({ description: 'lower bound (inclusive)' }),
    max: z.number().meta({ description: 'upper bound (inclusive)' }),
  })
  .refine((bounds) => bounds.min < bounds.max, {
    message: 'min must be less than max',
    path: ['max'],
  });

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const nameKey = z
  .string()
  .regex(NAME, 'a variable name: letters, digits and _, not starting with a digit');

/** How the design points are chosen. */
export const DoeSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('latin_hypercube'),
      samples: z.number().int().min(1).max(10_000).meta({ description: 'number of design points' }),
      seed: z.number().int().meta({ description: 'the same seed gives the same points' }),
    })
    .meta({ description: 'a Latin hypercube over the plan bounds' }),
  z
    .strictObject({
      kind: z.literal('full_factorial'),
      levels: z
        .record(nameKey, z.number().int().min(2).max(100))
        .meta({ description: 'evenly spaced levels per continuous variable' }),
    })
    .meta({ description: 'every combination of evenly spaced levels' }),
  z
    .strictObject({
      kind: z.literal('points'),
      points: z
        .array(z.record(nameKey, z.union([z.number(), z.string()])))
        .min(1)
        .max(10_000)
        .meta({ description: 'each point: a value per variable' }),
    })
    .meta({ description: 'an explicit list of points' }),
]);

/** A pause of the plan's runs after an asset, until a human approves what was built. */
export const CheckpointSchema = z.strictObject({
  after: z.string().min(1).meta({ description: 'the asset after which the run pauses' }),
  note: z.string().max(2_000).optional().meta({ description: 'what the approver should look at' }),
});

/** Version 1 of the plan document. */
export const ExperimentPlanSchema = z
  .strictObject({
    version: z.literal(1),
    study: z.string().min(1).meta({ description: 'the study the plan varies' }),
    title: z.string().min(1).max(200),
    rationale: z.string().min(1).max(10_000).meta({ description: 'why this experiment, now' }),
    predecessor: z
      .string()
      .regex(/^plan-[0-9a-f]{16}$/, 'a plan id: plan- and 16 hex digits')
      .nullable()
      .meta({ description: 'the plan this one revises, or null' }),
    variables: z.record(nameKey, VariableBoundsSchema).meta({
      description: "bounds of continuous variables, within the study's; others keep the study's",
    }),
    levels: z
      .record(nameKey, z.array(z.string().min(1)).min(1))
      .default({})
      .meta({ description: "levels of categorical variables, a subset of the study's" }),
    doe: DoeSchema,
    pipeline: z
      .string()
      .min(1)
      .meta({ description: 'what to materialize, in the selection syntax (+pareto_front)' }),
    limits: z
      .strictObject({
        concurrency: z.number().int().min(1).max(1_000).optional(),
        maxDesignPoints: z.number().int().min(1).max(10_000).optional(),
        maxToolCalls: z.number().int().min(1).optional(),
      })
      .default({}),
    checkpoints: z.array(CheckpointSchema).max(20).default([]),
  })
  .meta({ title: 'strata experiment plan', description: 'docs/plans.md' });

/** An experiment plan as proposed (defaults filled in). */
export type ExperimentPlan = z.output<typeof ExperimentPlanSchema>;
