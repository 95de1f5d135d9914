// GET /api/automation/ticks: what the automation daemon evaluated, launched and held back, tick
// by tick, newest first.
import { z } from 'zod';
import { listTicks } from '../../automation/index.js';
import { decodeCursor, DEFAULT_PAGE_LIMIT, pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { AutomationTickPage } from '../schemas/automation-schemas.js';
import { ErrorResponse } from '../schemas/common-schemas.js';

const listAutomationTicks = defineRoute({
  method: 'get',
  path: '/api/automation/ticks',
  operationId: 'listAutomationTicks',
  tag: 'automation',
  summary: 'Ticks of the automation daemon, newest first',
  description: 'Kept for 7 days. Each tick names the run it launched and every reason.',
  query: z.strictObject({ ...pageQuery }),
  responses: [
    { status: 200, description: 'a page of ticks', schema: AutomationTickPage },
    { status: 400, description: 'invalid parameter', schema: ErrorResponse },
  ],
  async handle({ query, c, server }) {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const rows = await listTicks(server.db, {
      limit: limit + 1,
      ...optional('beforeId', decodeCursor(query.cursor, 'before', 'number')),
    });
    const items = rows.map((row) => ({
      tickId: row.id,
      daemonId: row.daemon_id,
      host: row.host,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      status: row.status,
      evaluatedAssets: row.evaluated_assets,
      evaluatedPartitions: row.evaluated_partitions,
      runId: row.run_id,
      launched: row.launched,
      held: row.held,
      observed: row.observed,
      error: row.error,
    }));
    return c.json(pageOf(items, limit, (last) => ({ before: last.tickId })));
  },
});

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The automation routes. */
export const automationRoutes: readonly ApiRoute[] = [listAutomationTicks];
