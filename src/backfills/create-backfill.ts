// Creating a backfill: resolve its target set, then store it with the backfill in one
// transaction. Nothing is launched here; drivers do that (drive-backfill.ts, the daemon).
import type { Kysely } from 'kysely';
import type { AssetGraph } from '../graph/index.js';
import type { BackfillOptions, Database } from '../store/index.js';
import {
  checkLimit,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_MAX_RUNS,
  MAX_CHUNK_SIZE,
  MAX_RUNS_LIMIT,
  type BackfillRequest,
} from './backfill-request.js';
import { resolveTargets } from './resolve-targets.js';
import { insertBackfill } from './sql/insert-backfill.js';

/** The new backfill's id and how many targets it has. */
export interface CreatedBackfill {
  readonly id: number;
  readonly targets: number;
}

/** Creates the backfill of `request` (status running); see docs/backfills.md. */
export async function createBackfill(
  db: Kysely<Database>,
  graph: AssetGraph,
  request: BackfillRequest,
): Promise<CreatedBackfill> {
  const chunkSize = checkLimit(request.chunkSize, DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, 'chunk size');
  const maxRuns = checkLimit(request.maxRuns, DEFAULT_MAX_RUNS, MAX_RUNS_LIMIT, 'max runs');
  const targets = await resolveTargets(db, graph, request);
  const options: BackfillOptions = {
    ...(request.from === undefined ? {} : { from: request.from }),
    ...(request.to === undefined ? {} : { to: request.to }),
    ...(request.partitions?.length ? { partitions: request.partitions } : {}),
    ...(request.missing === true ? { missing: true } : {}),
    ...(request.failed === true ? { failed: true } : {}),
    ...(request.force === true ? { force: true } : {}),
  };
  const id = await insertBackfill(
    db,
    {
      selection: targets.selection,
      chunkSize,
      maxRuns,
      options,
      ...(request.launchedBy === undefined ? {} : { launchedBy: request.launchedBy }),
    },
    targets,
  );
  return { id, targets: targets.keys.length };
}
