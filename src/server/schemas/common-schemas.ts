// Schemas shared by several routes: errors, timestamps, statuses and their causes.
import { z } from 'zod';
import { named } from './registry.js';

/** A timestamp as the API writes it (ISO 8601, UTC). */
export const Timestamp = z.iso.datetime();

/** The Slurm job an attempt ran as, with its accounting (docs/slurm.md). */
export const SlurmJob = named(
  'SlurmJob',
  z.object({
    jobId: z.string(),
    state: z.string().nullable(),
    nodes: z.string().nullable(),
    partition: z.string().nullable(),
    elapsedSeconds: z.number().nullable(),
    cpuSeconds: z.number().nullable(),
    maxRssBytes: z.number().nullable(),
  }),
);

/** The body of every error response. */
export const ErrorResponse = named(
  'Error',
  z.object({
    error: z.object({
      status: z.number().int(),
      message: z.string(),
      field: z.string().optional().meta({ description: 'the request field at fault' }),
      hint: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
);

/** fresh, stale, missing or blocked (docs/semantics.md). */
export const StatusName = named('StatusName', z.enum(['fresh', 'stale', 'missing', 'blocked']));

/** The kind of a stale cause. */
export const StaleCategory = named(
  'StaleCategory',
  z.enum(['check', 'code', 'dependencies', 'data', 'upstream']),
);

/** Why an asset partition is stale or missing; `reason` is the sentence for people. */
export const StaleCause = named(
  'StaleCause',
  z.discriminatedUnion('category', [
    z.object({
      category: z.literal('code'),
      reason: z.string(),
      previous: z.string(),
      current: z.string(),
    }),
    z.object({
      category: z.literal('dependencies'),
      reason: z.string(),
      dependency: z.string(),
      change: z.enum(['added', 'removed', 'partitions']),
      added: z.array(z.string()),
      removed: z.array(z.string()),
    }),
    z.object({
      category: z.literal('data'),
      reason: z.string(),
      dependency: z.string(),
      partitions: z.array(z.string()),
      count: z.number().int(),
    }),
    z.object({
      category: z.literal('upstream'),
      reason: z.string(),
      dependency: z.string(),
      dependencyStatus: z.enum(['missing', 'stale', 'blocked']),
      partitions: z.array(z.string()),
      count: z.number().int(),
    }),
    z.object({
      category: z.literal('check'),
      reason: z.string(),
      dependency: z.string().meta({ description: 'the asset itself' }),
      check: z.string(),
      materializationId: z.number().int(),
      description: z.string().nullable(),
    }),
  ]),
);

/** An origin of staleness found by walking upstream causes. */
export const RootCause = named(
  'RootCause',
  z.object({
    key: z.string(),
    partition: z.string().nullable(),
    status: z.enum(['missing', 'stale', 'blocked']),
    causes: z.array(StaleCause),
  }),
);

/** The latest materialization of an asset partition, as status needs it. */
export const LatestVersion = named(
  'LatestVersion',
  z.object({
    materializationId: z.number().int(),
    codeVersion: z.string(),
    dataVersion: z.string(),
    inputHash: z.string(),
    materializedAt: Timestamp,
    observedAt: Timestamp.nullable().optional().meta({
      description:
        'source assets: the last observation, whether or not it found a new version (materializedAt: when this version was first observed); null otherwise',
    }),
  }),
);

/** A page of `item`. */
export function pageSchema<S extends z.ZodType>(id: string, item: S) {
  return named(id, z.object({ items: z.array(item), nextCursor: z.string().nullable() }));
}
