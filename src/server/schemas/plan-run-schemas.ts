// Schemas of an experiment plan's execution (docs/plans.md), answered with the plan: its runs with
// their progress, its dry run (what executing it would build and what is built already) and its
// results (the plan's partition of each per-plan asset, and how many of its design points each
// per-design asset has built). Starting a run answers PlanRunStart (plan-schemas.ts).
import { z } from 'zod';
import { Timestamp } from './common-schemas.js';
import { named } from './registry.js';
import { RunSummary } from './run-schemas.js';

/** The checkpoint a run of a plan stops at. */
export const PlanCheckpoint = z.number().int().nullable().meta({
  description:
    "the index into the plan's checkpoints of the checkpoint the run stops at (0: the first); null when it runs to the plan's end",
});

/** One run of a plan: a segment of its pipeline, up to a checkpoint or to the end. */
export const PlanRun = named(
  'PlanRun',
  RunSummary.extend({
    checkpoint: PlanCheckpoint,
    done: z.number().int().meta({ description: 'its steps that have ended, of total' }),
  }),
);

/** What executing a plan would build, and what is built already. */
export const PlanDryRunResponse = named(
  'PlanDryRun',
  z.object({
    designPoints: z.number().int(),
    sharedDesignPoints: z.number().int().meta({
      description:
        'design points whose every per-design asset is built (another plan sampled them)',
    }),
    assets: z.array(
      z.object({
        asset: z.string(),
        partitions: z.number().int().meta({
          description: "the plan's partitions of it: its design points, its own partition, or 1",
        }),
        built: z.number().int().meta({ description: 'of those, how many are materialized now' }),
      }),
    ),
  }),
);

/** The results of a plan as materialized now. */
export const PlanResultsResponse = named(
  'PlanResults',
  z.object({
    perPlan: z.array(
      z.object({
        asset: z.string().meta({ description: "an asset partitioned like the study's DOE" }),
        partition: z.string().meta({ description: 'the plan id' }),
        latest: z
          .object({
            materializationId: z.number().int(),
            runId: z.number().int().nullable(),
            materializedAt: Timestamp,
            metadata: z.record(z.string(), z.unknown()),
          })
          .nullable()
          .meta({ description: "the latest materialization of the plan's partition; null: none" }),
      }),
    ),
    perDesign: z.array(
      z.object({
        asset: z.string().meta({ description: 'an asset partitioned per design point' }),
        designPoints: z.number().int(),
        built: z.number().int().meta({ description: "the plan's design points it has built" }),
      }),
    ),
  }),
);
