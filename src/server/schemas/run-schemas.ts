// Schemas of the run routes: listing, one run with steps and attempts, events, launching, and
// the live progress messages of the event stream.
import { z } from 'zod';
import { partitionKeyProblem } from '../../definitions/index.js';
import { EVENT_KINDS, OUTPUT_STREAMS } from '../../store/index.js';
import { pageSchema, SlurmJob, Timestamp } from './common-schemas.js';
import { named } from './registry.js';

const RunStatus = named('RunStatus', z.enum(['running', 'succeeded', 'failed', 'canceled']));
const StepStatus = named(
  'StepStatus',
  z.enum([
    'waiting',
    'queued',
    'running',
    'retrying',
    'succeeded',
    'reused',
    'fresh',
    'failed',
    'skipped',
    'canceled',
  ]),
);

/** Step counts by status. */
export const StepCounts = named('StepCounts', z.partialRecord(StepStatus, z.number().int()));

/** One run in the listing. */
export const RunSummary = named(
  'RunSummary',
  z.object({
    runId: z.number().int(),
    status: RunStatus,
    selection: z.string(),
    trigger: z.string().meta({ description: 'cli, api or automation' }),
    triggerReason: z
      .string()
      .nullable()
      .meta({ description: 'why automation launched it, in words' }),
    launchedBy: z.string().nullable().meta({
      description:
        'who launched it: the name of the token (admin: STRATA_TOKEN; local: a loopback server without tokens), the OS user@host of the CLI, or the automation daemon',
    }),
    gitCommit: z.string().nullable(),
    host: z.string(),
    createdAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    durationMs: z.number().nullable(),
    counts: StepCounts,
    total: z.number().int(),
  }),
);

/** GET /api/runs. */
export const RunPage = pageSchema('RunPage', RunSummary);

/** One attempt of a step. */
export const Attempt = named(
  'Attempt',
  z.object({
    attemptId: z.number().int(),
    stepId: z.number().int(),
    number: z.number().int(),
    workerId: z.string(),
    status: z.enum(['running', 'succeeded', 'failed', 'timed_out', 'lost', 'canceled']),
    error: z.string().nullable(),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    slurm: SlurmJob.nullable().meta({
      description: 'the Slurm job it ran as, with its accounting; null when it ran in a worker',
    }),
  }),
);

/** One step of a run, with its timing for a Gantt chart. */
export const Step = named(
  'Step',
  z.object({
    stepId: z.number().int(),
    key: z.string(),
    partition: z.string().nullable(),
    status: StepStatus,
    attempts: z.number().int(),
    startedAt: Timestamp.nullable().meta({ description: 'start of its first attempt' }),
    finishedAt: Timestamp.nullable().meta({ description: 'end of its last attempt' }),
    durationMs: z.number().nullable(),
    materializationId: z.number().int().nullable(),
    error: z.string().nullable(),
  }),
);

/** GET /api/runs/{id}. */
export const RunDetail = named(
  'RunDetail',
  RunSummary.extend({
    options: z.record(z.string(), z.unknown()),
    steps: z.array(Step),
    attempts: z.array(Attempt),
    eventsUrl: z.string(),
  }),
);

/** One event of a run (outcomes, retries, skips, log lines). */
export const RunEvent = named(
  'RunEvent',
  z.object({
    eventId: z.number().int(),
    stepId: z.number().int().nullable(),
    attemptId: z.number().int().nullable(),
    assetKey: z.string().nullable(),
    partition: z.string().nullable(),
    kind: named('EventKind', z.enum(EVENT_KINDS)),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string(),
    data: z.unknown().meta({
      description: "the kind's payload, null for kinds without one (docs/sql.md lists them)",
    }),
    stream: z.enum(OUTPUT_STREAMS).nullable().meta({
      description:
        'for a line the compute wrote to stdout or stderr (captured, kind log), its stream; null otherwise',
    }),
    createdAt: Timestamp,
  }),
);

/** GET /api/runs/{id}/events: a tail cursor, so a client can poll for events still to come. */
export const RunEventPage = named(
  'RunEventPage',
  z.object({
    items: z.array(RunEvent),
    nextCursor: z.string().meta({
      description: 'pass as cursor to get the events after these (also once more arrive)',
    }),
    hasMore: z.boolean().meta({ description: 'whether more events exist already' }),
  }),
);

/** POST /api/runs. */
export const LaunchRequest = z.strictObject({
  selection: z
    .string()
    .max(10_000)
    .optional()
    .meta({ description: 'the CLI selection syntax (default: every asset)' }),
  force: z.boolean().optional().meta({ description: 'recompute fresh partitions too' }),
  partitions: z
    .array(
      z.string().superRefine((partition, ctx) => {
        const problem = partitionKeyProblem(partition);
        if (problem !== undefined)
          ctx.addIssue({ code: 'custom', message: `invalid partition: ${problem}` });
      }),
    )
    .max(10_000)
    .optional()
    .meta({ description: 'only these partitions of the partitioned assets' }),
});

/** The answer to POST /api/runs. */
export const LaunchResponse = named(
  'LaunchResult',
  z.object({
    runId: z.number().int().nullable().meta({ description: 'null when there is nothing to do' }),
    status: z.enum(['running', 'nothing_to_do']),
    steps: z.number().int(),
    missing: z.number().int(),
    stale: z.number().int(),
    freshCount: z.number().int(),
    expandsAtRunTime: z.array(z.string()),
    url: z.string().nullable(),
  }),
);

/** The answer to POST /api/runs/{id}/cancel and /resume. */
export const RunActionResponse = named(
  'RunActionResult',
  z.object({ runId: z.number().int(), status: RunStatus, message: z.string() }),
);

/** One `progress` message of GET /api/events. */
export const RunProgressMessage = named(
  'RunProgress',
  z.object({
    runId: z.number().int(),
    status: RunStatus,
    counts: StepCounts,
    total: z.number().int(),
    trigger: z.string().meta({
      description: 'what launched the run: cli, api or automation (as in RunSummary)',
    }),
  }),
);
