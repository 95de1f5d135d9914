// Tools about runs: `list_runs` (newest first, each with its step counts and its first failed
// steps with their errors) and `get_run` (one run and a page of its failed steps).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import {
  loadRun,
  loadRunFailures,
  loadRuns,
  type RunJson,
  type StepFailure,
} from '../executor/index.js';
import type { ReadToolsContext } from './read-tools.js';
import {
  answer,
  blamed,
  guarded,
  nextOffset,
  pageArguments,
  withoutNulls,
  READ_ONLY,
} from './tool-results.js';

/** list_runs shows at most this many failed steps per run (get_run pages through all). */
const FAILURES_PER_RUN = 3;

/** Registers `list_runs` and `get_run` on `server`. */
export function registerRunTools(server: McpServer, context: ReadToolsContext): void {
  const { db } = context;

  server.registerTool(
    'list_runs',
    {
      description:
        'Runs, newest first: status, selection, trigger, who launched it, step counts by ' +
        `status, and its first ${FAILURES_PER_RUN} failed steps with their errors. Paginated.`,
      inputSchema: z.strictObject({
        status: z.enum(['running', 'succeeded', 'failed', 'canceled']).optional(),
        ...pageArguments,
      }),
      annotations: READ_ONLY,
    },
    async ({ status, offset, limit }) =>
      guarded(async () => {
        // One more than a page: whether there is a next one.
        const runs = await loadRuns(db, { offset, status, limit: limit + 1 });
        const page = runs.slice(0, limit);
        const failures = await loadRunFailures(
          db,
          page.filter((run) => (run.counts.failed ?? 0) > 0).map((run) => run.runId),
          { offset: 0, limit: FAILURES_PER_RUN },
        );
        return answer({
          runs: page.map((run) => ({
            ...runEntry(run),
            ...failuresEntry(failures.get(run.runId) ?? []),
          })),
          next: runs.length > limit ? offset + limit : null,
        });
      }),
  );

  server.registerTool(
    'get_run',
    {
      description:
        'One run: status, selection, trigger, who launched it, timing, step counts, and its ' +
        'failed steps with their errors and hints (paginated over the failed steps).',
      inputSchema: z.strictObject({
        id: z.number().int().min(1).describe('the run id'),
        ...pageArguments,
      }),
      annotations: READ_ONLY,
    },
    async ({ id, offset, limit }) =>
      guarded(async () => {
        const run = await blamed('id', async () => {
          const found = await loadRun(db, id);
          if (found === undefined)
            throw new NotFoundError(`run ${id} does not exist`, {
              hint: 'list_runs lists the runs there are',
            });
          return found;
        });
        const failed = run.counts.failed ?? 0;
        const failures = await loadRunFailures(db, [id], { offset, limit });
        return answer({
          ...runEntry(run),
          ...failuresEntry(failures.get(id) ?? []),
          next: nextOffset(offset, limit, failed),
        });
      }),
  );
}

/** A run without its options and nulls. */
function runEntry(run: RunJson) {
  const { runId, status, selection, trigger, triggerReason, launchedBy, gitCommit } = run;
  const { createdAt, finishedAt, durationMs, counts, total } = run;
  return withoutNulls({
    runId,
    status,
    selection,
    trigger,
    triggerReason,
    launchedBy,
    gitCommit,
    createdAt,
    finishedAt,
    durationMs,
    steps: { ...counts, total },
  });
}

function failuresEntry(failures: readonly StepFailure[]) {
  if (failures.length === 0) return {};
  return { failures: failures.map(({ runId: _, ...failure }) => withoutNulls(failure)) };
}
