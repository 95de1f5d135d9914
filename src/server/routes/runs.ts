// Run routes: the list, one run with its steps and attempts (enough for a Gantt chart), its
// events, and launching, cancelling and resuming runs in the server's worker pool.
import { z } from 'zod';
import { UsageError } from '../../errors.js';
import { SelectionError } from '../../graph/index.js';
import { loadRun, loadRuns, loadRunSummary } from '../../executor/index.js';
import { UnavailableInputError } from '../../planner/index.js';
import { OUTPUT_STREAMS, type EventLevel } from '../../store/index.js';
import { ApiError } from '../api-error.js';
import { principalOf } from '../auth.js';
import { toApiError } from '../error-response.js';
import {
  decodeCursor,
  DEFAULT_PAGE_LIMIT,
  encodeCursor,
  pageOf,
  pageQuery,
} from '../pagination.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import {
  LaunchRequest,
  LaunchResponse,
  RunActionResponse,
  RunDetail,
  RunEventPage,
  RunPage,
} from '../schemas/run-schemas.js';
import type { ServerContext } from '../server-context.js';
import { loadAttempts, loadEvents } from '../views/run-queries.js';

const runParams = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'expected a run id (a positive integer)')
    .transform(Number)
    .meta({ description: 'the run id' }),
});

const LEVELS: readonly EventLevel[] = ['debug', 'info', 'warn', 'error'];
const error = (status: number, description: string) =>
  ({ status, description, schema: ErrorResponse }) as const;

/** The run row or a 404. */
async function requireRun(server: ServerContext, runId: number) {
  const run = await loadRun(server.db, runId);
  if (run === undefined) {
    throw new ApiError(404, `run ${runId} does not exist`, {
      field: 'id',
      hint: 'list runs with GET /api/runs',
    });
  }
  return run;
}

const listRuns = defineRoute({
  method: 'get',
  path: '/api/runs',
  operationId: 'listRuns',
  tag: 'runs',
  summary: 'Runs, newest first, with their step counts',
  query: z.strictObject({
    status: z.enum(['running', 'succeeded', 'failed', 'canceled']).optional(),
    ...pageQuery,
  }),
  responses: [
    { status: 200, description: 'a page of runs', schema: RunPage },
    error(400, 'invalid parameter'),
  ],
  async handle({ query, c, server }) {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const rows = await loadRuns(server.db, {
      beforeId: decodeCursor(query.cursor, 'before', 'number'),
      status: query.status,
      limit: limit + 1,
    });
    return c.json(pageOf(rows, limit, (last) => ({ before: last.runId })));
  },
});

const getRun = defineRoute({
  method: 'get',
  path: '/api/runs/{id}',
  operationId: 'getRun',
  tag: 'runs',
  summary: 'One run with its steps and attempts',
  description:
    'Steps carry their status, attempts, the start of their first attempt and the end of ' +
    'their last one, duration, materialization and error; attempts their worker and timing. ' +
    'Events are paginated separately (eventsUrl).',
  params: runParams,
  responses: [
    { status: 200, description: 'the run', schema: RunDetail },
    error(400, 'malformed id'),
    error(404, 'unknown run'),
  ],
  async handle({ params, c, server }) {
    const run = await requireRun(server, params.id);
    const [summary, attempts] = await Promise.all([
      loadRunSummary(server.db, params.id),
      loadAttempts(server.db, params.id),
    ]);
    const timing = new Map<number, { startedAt: Date; finishedAt: Date | null }>();
    for (const attempt of attempts) {
      const seen = timing.get(attempt.stepId);
      timing.set(attempt.stepId, {
        startedAt: seen?.startedAt ?? attempt.startedAt,
        finishedAt: attempt.finishedAt,
      });
    }
    const steps = summary.steps.map(({ stepId, ...step }) => ({
      stepId,
      ...step,
      startedAt: timing.get(stepId)?.startedAt ?? null,
      finishedAt: timing.get(stepId)?.finishedAt ?? null,
    }));
    return c.json({ ...run, steps, attempts, eventsUrl: `/api/runs/${params.id}/events` });
  },
});

const listRunEvents = defineRoute({
  method: 'get',
  path: '/api/runs/{id}/events',
  operationId: 'listRunEvents',
  tag: 'runs',
  summary: 'The events of a run (outcomes, retries, skips, log lines), oldest first',
  description:
    'nextCursor is always set: it points after the last event returned, so polling it again ' +
    '(e.g. on each progress message of /api/events) returns only new events.',
  params: runParams,
  query: z.strictObject({
    level: z.enum(['debug', 'info', 'warn', 'error']).optional().meta({
      description: 'only events of this level and above',
    }),
    stream: z.enum(OUTPUT_STREAMS).optional().meta({
      description: 'only the lines the computes wrote to this stream (captured stdout or stderr)',
    }),
    ...pageQuery,
  }),
  responses: [
    { status: 200, description: 'a page of events', schema: RunEventPage },
    error(400, 'invalid parameter'),
    error(404, 'unknown run'),
  ],
  async handle({ params, query, c, server }) {
    await requireRun(server, params.id);
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const afterId = decodeCursor(query.cursor, 'after', 'number');
    const levels =
      query.level === undefined ? undefined : LEVELS.slice(LEVELS.indexOf(query.level));
    const rows = await loadEvents(server.db, params.id, {
      afterId,
      limit: limit + 1,
      levels,
      stream: query.stream,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1)?.eventId ?? afterId ?? 0;
    return c.json({
      items,
      nextCursor: encodeCursor({ after: last }),
      hasMore: rows.length > limit,
    });
  },
});

const launchRun = defineRoute({
  method: 'post',
  path: '/api/runs',
  operationId: 'launchRun',
  tag: 'runs',
  summary: 'Plan and launch a materialization of a selection',
  description:
    'Plans like `strata materialize` and executes the run in the server (its worker pool, ' +
    'shared with any `strata worker`). 202 with the run id; 200 with runId null when every ' +
    'selected partition is fresh. Follow it with GET /api/events?run=ID.',
  body: LaunchRequest,
  responses: [
    { status: 202, description: 'the run was launched', schema: LaunchResponse },
    { status: 200, description: 'nothing to do', schema: LaunchResponse },
    error(400, 'bad selection or partitions (message and hint from the planner)'),
    error(403, 'cross-origin request, or a read-only server'),
    error(409, 'the plan cannot run now: an input has never been materialized'),
    error(415, 'not a JSON body'),
  ],
  async handle({ body, c, server }) {
    let launched;
    try {
      launched = await server.launcher.launch({ ...body, launchedBy: principalOf(c).name });
    } catch (caught) {
      throw planError(caught);
    }
    const { plan, runId } = launched;
    const result = {
      runId,
      status: runId === null ? ('nothing_to_do' as const) : ('running' as const),
      steps: plan.steps.length,
      missing: plan.steps.filter((s) => s.status === 'missing').length,
      stale: plan.steps.filter((s) => s.status === 'stale').length,
      freshCount: plan.freshCount,
      expandsAtRunTime: [...plan.expandsAtRunTime] as string[],
      url: runId === null ? null : `/api/runs/${runId}`,
    };
    if (runId !== null) {
      server.hub.track(runId);
      c.header('Location', `/api/runs/${runId}`);
    }
    return c.json(result, runId === null ? 200 : 202);
  },
});

/** The API error of a failed plan, naming the body field at fault. */
function planError(caught: unknown): ApiError {
  if (caught instanceof SelectionError) return toApiError(caught, 'selection');
  if (caught instanceof UsageError) {
    const message = caught.message.replace(/^--partition was given/, 'partitions were given');
    const hint = caught.hint === undefined ? {} : { hint: caught.hint };
    if (caught instanceof UnavailableInputError) return new ApiError(409, message, hint);
    if (/partition/.test(message))
      return new ApiError(400, message, { field: 'partitions', ...hint });
    return new ApiError(400, message, { field: 'selection', ...hint });
  }
  return toApiError(caught);
}

const cancelRun = defineRoute({
  method: 'post',
  path: '/api/runs/{id}/cancel',
  operationId: 'cancelRun',
  tag: 'runs',
  summary: 'Cancel a running run (steps not started are cancelled, running ones aborted)',
  params: runParams,
  responses: [
    { status: 200, description: 'cancelled', schema: RunActionResponse },
    error(404, 'unknown run'),
    error(409, 'the run has already finished'),
  ],
  async handle({ params, c, server }) {
    const run = await requireRun(server, params.id);
    const canceled = await server.launcher.cancel(params.id);
    if (!canceled) {
      throw new ApiError(409, `run ${params.id} has already finished (${run.status})`);
    }
    return c.json({ runId: params.id, status: 'canceled', message: `run ${params.id} cancelled` });
  },
});

const resumeRun = defineRoute({
  method: 'post',
  path: '/api/runs/{id}/resume',
  operationId: 'resumeRun',
  tag: 'runs',
  summary: 'Resume a failed or cancelled run in the server',
  description: 'Failed, skipped and cancelled steps get a fresh retry budget.',
  params: runParams,
  responses: [
    { status: 202, description: 'resumed', schema: RunActionResponse },
    error(404, 'unknown run'),
    error(409, 'the run is still running or succeeded, or was planned with other code'),
  ],
  async handle({ params, c, server }) {
    const run = await requireRun(server, params.id);
    if (run.status === 'running' || run.status === 'succeeded') {
      throw new ApiError(
        409,
        `run ${params.id} ${run.status === 'running' ? 'is still running' : 'already succeeded'}; there is nothing to resume`,
        {
          hint: run.status === 'succeeded' ? 'launch a new run with POST /api/runs' : undefined,
        },
      );
    }
    let left: number;
    try {
      left = await server.launcher.resume(params.id);
    } catch (caught) {
      if (caught instanceof UsageError)
        throw new ApiError(
          409,
          caught.message,
          caught.hint === undefined ? {} : { hint: caught.hint },
        );
      throw caught;
    }
    server.hub.track(params.id);
    c.header('Location', `/api/runs/${params.id}`);
    return c.json(
      {
        runId: params.id,
        status: 'running',
        message: `run ${params.id} resumed: ${left} steps to finish`,
      },
      202,
    );
  },
});

/** The run routes. */
export const runRoutes: readonly ApiRoute[] = [
  listRuns,
  getRun,
  listRunEvents,
  launchRun,
  cancelRun,
  resumeRun,
];
