// Schemas of the backfill routes (docs/backfills.md): the body that creates one, its progress,
// and the list.
import { z } from 'zod';
import { partitionKeyProblem } from '../../definitions/index.js';
import { MAX_CHUNK_SIZE, MAX_RUNS_LIMIT } from '../../backfills/index.js';
import { named } from './registry.js';

const partitionKey = z.string().superRefine((partition, ctx) => {
  const problem = partitionKeyProblem(partition);
  if (problem !== undefined)
    ctx.addIssue({ code: 'custom', message: `invalid partition: ${problem}` });
});

/** The body of POST /api/backfills. */
export const BackfillCreateRequest = z.strictObject({
  selection: z.string().max(10_000).optional().meta({ description: 'the CLI selection syntax' }),
  from: partitionKey.optional().meta({ description: 'first partition of the range (inclusive)' }),
  to: partitionKey.optional().meta({ description: 'last partition of the range (inclusive)' }),
  partitions: z.array(partitionKey).max(100_000).optional().meta({ description: 'only these' }),
  missing: z.boolean().optional().meta({ description: 'only partitions missing now' }),
  failed: z.boolean().optional().meta({ description: 'only partitions whose latest step failed' }),
  force: z.boolean().optional().meta({ description: 'recompute fresh partitions too' }),
  chunkSize: z
    .number()
    .int()
    .min(1)
    .max(MAX_CHUNK_SIZE)
    .optional()
    .meta({ description: 'targets per run' }),
  maxRuns: z
    .number()
    .int()
    .min(1)
    .max(MAX_RUNS_LIMIT)
    .optional()
    .meta({ description: 'runs in flight' }),
});

const BackfillStatus = z.enum(['running', 'paused', 'canceled', 'succeeded', 'failed']);

const TargetCounts = z.object({
  targets: z.number().int(),
  pending: z.number().int(),
  launched: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  held: z.number().int(),
  remaining: z.number().int(),
});

/** GET /api/backfills/{id} and the actions' result. */
export const BackfillDetail = named(
  'Backfill',
  z.object({
    id: z.number().int(),
    selection: z.string(),
    status: BackfillStatus,
    chunkSize: z.number().int(),
    maxRuns: z.number().int(),
    options: z.record(z.string(), z.unknown()),
    launchedBy: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    totals: TargetCounts,
    assets: z.array(TargetCounts.extend({ key: z.string() })),
    runsInFlight: z.array(z.number().int()),
    problems: z.array(
      z.object({
        key: z.string(),
        partition: z.string().nullable(),
        state: z.enum(['failed', 'held']),
        error: z.string().nullable(),
        runId: z.number().int().nullable(),
      }),
    ),
  }),
  'a backfill and its progress per asset (docs/backfills.md)',
);

/** GET /api/backfills. */
export const BackfillList = named(
  'BackfillList',
  z.object({
    items: z.array(
      z.object({
        id: z.number().int(),
        selection: z.string(),
        status: BackfillStatus,
        launchedBy: z.string().nullable(),
        createdAt: z.string(),
        finishedAt: z.string().nullable(),
        totals: TargetCounts,
        runsInFlight: z.number().int().meta({ description: 'how many of its runs are in flight' }),
      }),
    ),
  }),
);
