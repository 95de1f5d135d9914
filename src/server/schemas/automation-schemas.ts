// Schemas of the automation routes: the daemon's ticks.
import { z } from 'zod';
import { pageSchema, Timestamp } from './common-schemas.js';
import { named } from './registry.js';

/** Asset partitions of a tick, and why. */
export const TickEntry = named(
  'TickEntry',
  z.object({
    key: z.string(),
    partitions: z.array(z.string()).meta({ description: 'empty for an unpartitioned asset' }),
    rule: z.string().optional().meta({ description: 'the automation rule (launched entries)' }),
    reason: z.string(),
  }),
);

/** What a tick's observation of a source asset found. */
export const ObservedEntry = named(
  'ObservedEntry',
  z.object({
    key: z.string(),
    partitions: z.array(z.string()).meta({ description: 'empty for an unpartitioned asset' }),
    outcome: z.enum(['new', 'unchanged', 'failed']),
    dataVersion: z.string().nullable().meta({ description: 'the version found; null if failed' }),
    error: z.string().optional(),
  }),
);

/** One tick of the automation daemon. */
export const AutomationTick = named(
  'AutomationTick',
  z.object({
    tickId: z.number().int(),
    daemonId: z.string(),
    host: z.string(),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    status: z.enum(['running', 'succeeded', 'failed']),
    evaluatedAssets: z.number().int(),
    evaluatedPartitions: z.number().int(),
    runId: z.number().int().nullable().meta({ description: 'the run it launched, if any' }),
    launched: z.array(TickEntry),
    held: z.array(TickEntry).meta({ description: 'what needed a rebuild but was held back' }),
    observed: z
      .array(ObservedEntry)
      .meta({ description: 'source assets observed (due ones), by asset and outcome' }),
    error: z.string().nullable(),
  }),
);

/** GET /api/automation/ticks. */
export const AutomationTickPage = pageSchema('AutomationTickPage', AutomationTick);
