// Schemas of asset checks in the API: the checks an asset declares and their verdicts on a
// partition's latest materialization (docs/semantics.md, "Asset checks").
import { z } from 'zod';
import { named } from './registry.js';
import { Timestamp } from './common-schemas.js';

/** A check an asset declares. */
export const AssetCheck = named(
  'AssetCheck',
  z.object({
    name: z.string(),
    description: z.string().nullable(),
    severity: z.enum(['warn', 'error']),
    blocking: z.boolean().meta({
      description: 'whether a failure stops dependants from reading the materialization',
    }),
    codeVersion: z.string(),
  }),
);

/** A check's latest verdict on a materialization. */
export const CheckResult = named(
  'CheckResult',
  z.object({
    check: z.string(),
    passed: z.boolean(),
    severity: z.enum(['warn', 'error']),
    blocking: z.boolean().meta({ description: 'as declared when it was evaluated' }),
    description: z.string().nullable().meta({ description: 'what the check found, in its words' }),
    metadata: z.record(z.string(), z.unknown()),
    error: z.string().nullable().meta({ description: 'the error when the check threw' }),
    checkVersion: z.string(),
    outdated: z.boolean().meta({
      description:
        'the check declared now has another code version (or is no longer declared): `strata check` judges again',
    }),
    materializationId: z.number().int(),
    runId: z.number().int().nullable().meta({ description: 'null: judged by `strata check`' }),
    evaluatedAt: Timestamp,
  }),
);
