// Schemas of freshness: an asset's state against its policy (in the status summary) and each
// partition's (in the partition list), with the policy itself.
import { z } from 'zod';
import { Timestamp } from './common-schemas.js';
import { named } from './registry.js';

/** pass, warn or fail. */
export const FreshnessState = named(
  'FreshnessState',
  z.enum(['pass', 'warn', 'fail']).meta({
    description:
      'fail: older than maxLag (with cron: at the last deadline) or never materialized; ' +
      'warn: older than warnAfter; pass otherwise (docs/semantics.md, "Freshness")',
  }),
);

/** A declared freshness policy. */
export const FreshnessPolicy = named(
  'FreshnessPolicy',
  z.object({
    maxLagMs: z.number().meta({ description: 'fail once the latest materialization is older' }),
    warnAfterMs: z.number().nullable().meta({ description: 'warn once it is older' }),
    cron: z
      .string()
      .nullable()
      .meta({ description: 'each tick is a deadline at which the lag is judged' }),
    timezone: z
      .string()
      .nullable()
      .meta({ description: 'the IANA timezone of cron (set exactly when cron is)' }),
    description: z.string().meta({ description: 'the policy in words' }),
  }),
);

/** One partition judged against its asset's policy. */
export const PartitionFreshness = named(
  'PartitionFreshness',
  z.object({
    state: FreshnessState,
    materializedAt: Timestamp.nullable().meta({
      description: 'the latest materialization judged (null: never materialized)',
    }),
    deadline: Timestamp.nullable().meta({
      description:
        'when it fails unless materialized again; for a failing partition the deadline it ' +
        'missed; null when never materialized',
    }),
    warnAt: Timestamp.nullable().meta({ description: 'when it starts (or started) to warn' }),
    overdueByMs: z.number().nullable().meta({
      description: 'how long past its deadline: 0 unless failing, null when never materialized',
    }),
    overdueBy: z.string().nullable().meta({
      description: '"overdue by 2h 5m" or "never materialized" when failing, else null',
    }),
    reason: z.string().meta({ description: 'the judgement in words' }),
  }),
);

/** An asset's freshness over its partitions. */
export const AssetFreshness = named(
  'AssetFreshness',
  z.object({
    state: FreshnessState.meta({
      description: 'the worst partition state (fail > warn > pass); pass without partitions',
    }),
    counts: z.object({
      pass: z.number().int(),
      warn: z.number().int(),
      fail: z.number().int(),
      neverMaterialized: z.number().int().meta({ description: 'of the failing ones' }),
      total: z.number().int(),
    }),
    partition: z
      .string()
      .nullable()
      .meta({
        description:
          'the worst partition: the most overdue failing one (never materialized first), else the ' +
          'one with the earliest deadline; null for an unpartitioned asset',
      }),
    overdueByMs: z.number().nullable().meta({
      description: "the worst partition's lateness: 0 unless failing, null if never materialized",
    }),
    overdueBy: z.string().nullable(),
    deadline: Timestamp.nullable().meta({
      description: 'failing: the deadline the worst partition missed; else the earliest ahead',
    }),
    reason: z.string().meta({ description: "the worst partition's judgement in words" }),
    policy: FreshnessPolicy,
  }),
);
