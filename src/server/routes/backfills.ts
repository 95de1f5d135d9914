// Backfill routes (docs/backfills.md): list, one backfill's progress, creating one, and pause,
// resume, cancel and retry. A backfill created, resumed or retried here is driven by this server
// (backfill-drivers.ts) as well as by any automation daemon.
import { z } from 'zod';
import {
  cancelBackfill,
  createBackfill,
  listBackfills,
  loadBackfillProgress,
  pauseBackfill,
  resumeBackfill,
  retryBackfill,
} from '../../backfills/index.js';
import { ApiError } from '../api-error.js';
import { principalOf } from '../auth.js';
import { toApiError } from '../error-response.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import {
  BackfillCreateRequest,
  BackfillDetail,
  BackfillList,
} from '../schemas/backfill-schemas.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import type { ServerContext } from '../server-context.js';

const backfillParams = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'expected a backfill id (a positive integer)')
    .transform(Number)
    .meta({ description: 'the backfill id' }),
});

const error = (status: number, description: string) =>
  ({ status, description, schema: ErrorResponse }) as const;

const listRoute = defineRoute({
  method: 'get',
  path: '/api/backfills',
  operationId: 'listBackfills',
  tag: 'backfills',
  summary: 'Backfills, newest first (at most 50), with their target counts and runs in flight',
  responses: [{ status: 200, description: 'the backfills', schema: BackfillList }],
  async handle({ c, server }) {
    return c.json({ items: await listBackfills(server.db) });
  },
});

const getRoute = defineRoute({
  method: 'get',
  path: '/api/backfills/{id}',
  operationId: 'getBackfill',
  tag: 'backfills',
  summary: 'One backfill: status, counts per asset, runs in flight, failed and held targets',
  params: backfillParams,
  responses: [
    { status: 200, description: 'the backfill', schema: BackfillDetail },
    error(404, 'unknown backfill'),
  ],
  async handle({ params, c, server }) {
    return c.json(await loadBackfillProgress(server.db, params.id));
  },
});

const createRoute = defineRoute({
  method: 'post',
  path: '/api/backfills',
  operationId: 'createBackfill',
  tag: 'backfills',
  summary: 'Create a backfill of a selection and partition filters',
  description:
    'Stores the whole target set in one transaction and returns 201 with the backfill. This ' +
    'server then launches its runs in chunks (so does any automation daemon, of `strata serve` ' +
    'or `strata daemon`).',
  body: BackfillCreateRequest,
  responses: [
    { status: 201, description: 'created', schema: BackfillDetail },
    error(400, 'bad selection, partition filter or limit'),
    error(403, 'cross-origin request, or a read-only server'),
  ],
  async handle({ body, c, server }) {
    if (!server.launcher.enabled)
      throw new ApiError(403, 'this server is read-only: backfills cannot be created');
    let created;
    try {
      created = await createBackfill(server.db, server.graph, {
        ...body,
        launchedBy: principalOf(c).name,
      });
    } catch (caught) {
      throw toApiError(caught, fieldAtFault(caught));
    }
    c.header('Location', `/api/backfills/${created.id}`);
    const progress = await loadBackfillProgress(server.db, created.id);
    server.backfills.drive(created.id, principalOf(c).name);
    return c.json(progress, 201);
  },
});

/**
 * The request field a refusal of createBackfill is about: a partition filter's refusal starts
 * with its CLI option (`--from "x": asset raw has no such partition`), anything else is the
 * selection's.
 */
function fieldAtFault(error: unknown): string {
  const option = error instanceof Error ? /^--(from|to|partition)\b/.exec(error.message) : null;
  if (option === null) return 'selection';
  return option[1] === 'partition' ? 'partitions' : option[1]!;
}

/** POST /api/backfills/{id}/ACTION: pause, resume, cancel (and its runs) or retry. */
function actionRoute(
  action: 'pause' | 'resume' | 'cancel' | 'retry',
  summary: string,
  act: (server: ServerContext, id: number) => Promise<unknown>,
) {
  return defineRoute({
    method: 'post',
    path: `/api/backfills/{id}/${action}`,
    operationId: `${action}Backfill`,
    tag: 'backfills',
    summary,
    params: backfillParams,
    responses: [
      { status: 200, description: 'done; the backfill as it is now', schema: BackfillDetail },
      error(400, 'the backfill cannot do that in its status'),
      error(403, 'cross-origin request, or a read-only server'),
      error(404, 'unknown backfill'),
    ],
    async handle({ params, c, server }) {
      if (!server.launcher.enabled)
        throw new ApiError(403, `this server is read-only: backfills cannot be ${action}d`);
      await act(server, params.id);
      const progress = await loadBackfillProgress(server.db, params.id);
      if (progress.status === 'running') server.backfills.drive(params.id, principalOf(c).name);
      return c.json(progress);
    },
  });
}

/** The backfill routes. */
export const backfillRoutes: readonly ApiRoute[] = [
  listRoute,
  getRoute,
  createRoute,
  actionRoute('pause', 'Pause: no new chunk is launched; runs in flight finish', (s, id) =>
    pauseBackfill(s.db, id),
  ),
  actionRoute('resume', 'Resume a paused backfill', (s, id) => resumeBackfill(s.db, id)),
  actionRoute('cancel', 'Cancel the backfill and its runs in flight', async (s, id) => {
    for (const runId of await cancelBackfill(s.db, id)) await s.launcher.cancel(runId);
  }),
  actionRoute('retry', 'Rerun the failed and held targets, then what depends on them', (s, id) =>
    retryBackfill(s.db, id),
  ),
];
