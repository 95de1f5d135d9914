// Schemas of the materialization routes: provenance, consumers and lineage.
import { z } from 'zod';
import { SlurmJob, Timestamp } from './common-schemas.js';
import { named } from './registry.js';

/** A materialization that consumed another one. */
export const Consumer = named(
  'Consumer',
  z.object({
    materializationId: z.number().int(),
    assetKey: z.string(),
    partition: z.string().nullable(),
    inputName: z.string(),
    runId: z.number().int().nullable(),
    materializedAt: Timestamp,
  }),
);

/** The experiment plan a run executed, with its approvals (docs/plans.md). */
export const RunPlanJson = named(
  'RunPlan',
  z.object({
    id: z.string(),
    title: z.string(),
    state: z.string(),
    approvals: z.array(
      z.object({
        of: z.enum(['plan', 'checkpoint']),
        by: z.string(),
        origin: z.string(),
        at: Timestamp,
        comment: z.string().nullable(),
        codeVersions: z.record(z.string(), z.string()).nullable(),
      }),
    ),
  }),
);

/** GET /api/materializations/{id}. */
export const ProvenanceResponse = named(
  'Provenance',
  z.object({
    materializationId: z.number().int(),
    assetKey: z.string(),
    partition: z.string().nullable(),
    runId: z.number().int().nullable(),
    plan: RunPlanJson.nullable().meta({
      description: 'the experiment plan the run executed, with its approvals; null for other runs',
    }),
    stepId: z.number().int().nullable(),
    attempt: z.number().int().nullable(),
    slurm: SlurmJob.nullable().meta({
      description:
        'the Slurm job that computed it and its accounting (docs/slurm.md); null when it ran in a worker',
    }),
    codeVersion: z.string(),
    dataVersion: z.string(),
    inputHash: z.string(),
    value: z.unknown(),
    valueArtifact: z.string().nullable(),
    valueSize: z.number().int(),
    metadata: z.record(z.string(), z.unknown()),
    partitionKeys: z.array(z.string()).nullable(),
    reusedFrom: z.number().int().nullable(),
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp,
    durationMs: z.number().nullable(),
    host: z.string().nullable(),
    workerId: z.string().nullable(),
    gitCommit: z.string().nullable(),
    createdAt: Timestamp,
    isLatest: z.boolean().meta({
      description: 'whether it is the current materialization of its asset partition',
    }),
    inputs: z.array(
      z.object({
        inputName: z.string(),
        assetKey: z.string(),
        partition: z.string().nullable(),
        materializationId: z.number().int(),
        dataVersion: z.string(),
      }),
    ),
    artifacts: z.array(
      z.object({
        name: z.string(),
        sha256: z.string(),
        size: z.number().int(),
        contentType: z.string(),
        url: z.string().meta({ description: 'where to download it' }),
      }),
    ),
    toolCalls: z.array(
      z.object({
        server: z.string(),
        tool: z.string(),
        toolVersion: z.string().nullable(),
        argumentHash: z
          .string()
          .meta({ description: 'sha256 of the canonical JSON of the arguments as sent' }),
        arguments: z.unknown().meta({
          description:
            'the arguments sent, canonical (keys sorted), the values of credential-like keys ' +
            '(password, secret, token, api_key, authorization, ...) and credential-like strings ' +
            'replaced by "[redacted]"; over 64 KiB, the marker {"$strata": "truncated", bytes, ' +
            'maxBytes, argumentHash, keys}; null for calls recorded before strata kept them',
        }),
        resultId: z.string().nullable(),
        durationMs: z.number(),
      }),
    ),
    consumers: z.array(Consumer).meta({ description: 'what depends on this: direct consumers' }),
  }),
);

/** GET /api/materializations/{id}/lineage. */
export const LineageResponse = named(
  'Lineage',
  z.object({
    root: z.number().int(),
    direction: z.enum(['upstream', 'downstream']),
    depth: z.number().int().nullable(),
    nodes: z.array(
      z.object({
        materializationId: z.number().int(),
        assetKey: z.string(),
        partition: z.string().nullable(),
        dataVersion: z.string(),
        codeVersion: z.string(),
        runId: z.number().int().nullable(),
        materializedAt: Timestamp,
        depth: z.number().int(),
      }),
    ),
    edges: z.array(
      z.object({ from: z.number().int(), to: z.number().int(), inputName: z.string() }),
    ),
    plans: z
      .array(RunPlanJson.and(z.object({ runIds: z.array(z.number().int()) })))
      .meta({ description: 'the experiment plans whose runs made nodes, with their approvals' }),
  }),
);
