// Observing source assets: runs each source partition's observe function (schema-checked, with
// its timeout), compares the data version found with the latest one, and records in one
// transaction a materialization of kind 'observed' for every new version and the observation
// time of every partition looked at. Used by the automation daemon, `strata observe`, and before
// a run is planned. A failed observation is reported, never recorded: the last version stays.
import { hostName } from '../util/host-name.js';
import { sql } from 'kysely';
import { artifactAccess, collectArtifactRefs, recordArtifacts } from '../artifacts/index.js';
import type { ArtifactRef, AssetKey, PartitionKey, ToolAccess } from '../definitions/index.js';
import { UserCodeError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import { resolvePartitionSets } from '../planner/index.js';
import {
  dataVersionOf,
  inputHashOf,
  loadLatest,
  recordMaterializations,
  type LatestVersion,
  type MaterializationRecord,
} from '../provenance/index.js';
import type { Engine } from './engine.js';
import { eventLogger } from './event-logger.js';
import { runCompute } from './run-compute.js';
import { storeValue } from './store-value.js';

/** What to observe, and how (the engine says where). */
export interface ObserveRequest {
  /** Assets to observe (those that are not source assets are ignored); default: every source. */
  readonly keys?: Iterable<AssetKey>;
  /** Only partitions whose last observation is older than the source's observeEvery. */
  readonly onlyDue?: boolean;
  /** Observations run at once (default 4). */
  readonly concurrency?: number;
  /** Aborting it aborts the observe functions still running. */
  readonly signal?: AbortSignal;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/** What observing one source partition found. */
export interface ObservationOutcome {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly outcome: 'new' | 'unchanged' | 'failed';
  /** The version found; null when the observation failed. */
  readonly dataVersion: string | null;
  /** The version recorded before; null when never observed. */
  readonly previousDataVersion: string | null;
  /** The materialization recording the new version; null unless `new`. */
  readonly materializationId: number | null;
  readonly error?: string;
  readonly durationMs: number;
}

/** The source assets among `keys` (all sources when undefined), in topological order. */
export function sourceKeys(graph: AssetGraph, keys?: Iterable<AssetKey>): AssetKey[] {
  const wanted = keys === undefined ? undefined : new Set(keys);
  return graph.order.filter(
    (key) =>
      graph.node(key).definition.observation !== undefined &&
      (wanted === undefined || wanted.has(key)),
  );
}

interface Job {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly previous: LatestVersion | undefined;
}

interface Observed {
  readonly job: Job;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly result:
    | {
        readonly ok: true;
        readonly dataVersion: string;
        readonly value: unknown;
        readonly metadata: Record<string, unknown>;
        readonly artifacts: ArtifactRef[];
      }
    | { readonly ok: false; readonly error: string };
}

const NO_TOOLS: ToolAccess = {
  call: () =>
    Promise.reject(new UserCodeError('observe functions cannot call tool servers (ctx.tools)')),
};

function isDue(job: Job, everyMs: number | undefined, now: number): boolean {
  if (job.previous === undefined || everyMs === undefined) return true;
  const last = job.previous.observedAt ?? job.previous.materializedAt;
  return last.getTime() + everyMs <= now;
}

/** Observes the source partitions of `request` and records what they found. */
export async function observeSources(
  engine: Engine,
  request: ObserveRequest = {},
): Promise<ObservationOutcome[]> {
  const { graph } = engine;
  const { db } = engine.database;
  const keys = sourceKeys(graph, request.keys);
  if (keys.length === 0) return [];
  const now = request.now ?? (() => new Date());
  const [partitionSets, latest] = await Promise.all([
    resolvePartitionSets(db, graph, keys),
    loadLatest(db, keys),
  ]);
  const jobs: Job[] = [];
  const at = now().getTime();
  for (const key of keys) {
    const everyMs = graph.node(key).definition.observation!.everyMs;
    for (const partition of partitionSets.get(key)!.keys) {
      const job = { key, partition, previous: latest.get(key)!.get(partition) };
      if (request.onlyDue !== true || isDue(job, everyMs, at)) jobs.push(job);
    }
  }
  const observed = await runLimited(jobs, request.concurrency ?? 4, (job) =>
    observeOne(engine, job, now, request.signal),
  );
  const ids = await record(engine, observed);
  return observed.map(({ job, startedAt, finishedAt, result }) => ({
    key: job.key,
    partition: job.partition,
    outcome: !result.ok
      ? 'failed'
      : ids.has(`${job.key}\u0000${job.partition}`)
        ? 'new'
        : 'unchanged',
    dataVersion: result.ok ? result.dataVersion : null,
    previousDataVersion: job.previous?.dataVersion ?? null,
    materializationId: ids.get(`${job.key}\u0000${job.partition}`) ?? null,
    ...(result.ok ? {} : { error: result.error }),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
  }));
}

async function runLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

async function observeOne(
  engine: Engine,
  job: Job,
  now: () => Date,
  signal: AbortSignal | undefined,
): Promise<Observed> {
  const startedAt = now();
  const definition = engine.graph.node(job.key).definition;
  const put: ArtifactRef[] = [];
  const access = artifactAccess(engine.artifacts);
  const pendingLogs: Promise<unknown>[] = [];
  try {
    const result = await runCompute({
      definition,
      partitionKey: job.partition,
      inputs: {},
      runId: 0,
      attempt: 1,
      idempotencyKey: '',
      log: eventLogger(
        engine.database.db,
        { runId: null, assetKey: job.key, partitionKey: job.partition },
        pendingLogs,
      ),
      artifacts: {
        put: async (name, content, contentType) => {
          const ref = await access.put(name, content, contentType);
          put.push(ref);
          return ref;
        },
        putStream: async (name, source, contentType) => {
          const ref = await access.putStream(name, source, contentType);
          put.push(ref);
          return ref;
        },
        read: access.read,
        openReadStream: access.openReadStream,
      },
      tools: () => NO_TOOLS,
      cancelSignal: signal ?? new AbortController().signal,
    });
    await Promise.all(pendingLogs);
    return {
      job,
      startedAt,
      finishedAt: now(),
      result: {
        ok: true,
        dataVersion: result.dataVersion ?? dataVersionOf(result.value),
        value: result.value,
        metadata: result.metadata,
        artifacts: [...put, ...collectArtifactRefs(result.value)],
      },
    };
  } catch (error) {
    await Promise.all(pendingLogs);
    const message = error instanceof Error ? error.message : String(error);
    return { job, startedAt, finishedAt: now(), result: { ok: false, error: message } };
  }
}

/** Records new versions and observation times in one transaction; returns the new ids. */
async function record(engine: Engine, observed: readonly Observed[]): Promise<Map<string, number>> {
  const succeeded = observed.filter((o) => o.result.ok);
  const changed = succeeded.filter(
    (o) => o.result.ok && o.result.dataVersion !== o.job.previous?.dataVersion,
  );
  const records: MaterializationRecord[] = [];
  const artifactsOf: ArtifactRef[][] = [];
  for (const { job, startedAt, finishedAt, result } of changed) {
    if (!result.ok) continue;
    const stored = await storeValue(engine.artifacts, result.value);
    const definition = engine.graph.node(job.key).definition;
    records.push({
      assetKey: job.key,
      partitionKey: job.partition,
      runId: null,
      stepId: null,
      attemptId: null,
      codeVersion: definition.codeVersion,
      dataVersion: result.dataVersion,
      inputHash: inputHashOf(job.key, job.partition, definition.codeVersion, []),
      value: stored.value,
      valueArtifact: stored.valueArtifact,
      valueSize: stored.valueSize,
      metadata: result.metadata,
      partitionKeys: null,
      reusedFrom: null,
      startedAt,
      finishedAt,
      host: hostName(),
      workerId: null,
      gitCommit: engine.gitCommit,
      inputs: [],
      kind: 'observed',
    });
    artifactsOf.push(stored.artifact ? [...result.artifacts, stored.artifact] : result.artifacts);
  }
  const ids = new Map<string, number>();
  if (succeeded.length === 0) return ids;
  await engine.database.db.transaction().execute(async (trx) => {
    // Another observer may have recorded the same version meanwhile: serialize per source and
    // keep only what is still new.
    const sources = [...new Set(succeeded.map((o) => o.job.key))].sort();
    await sql`select pg_advisory_xact_lock(hashtext('strata:observe:' || k)) from unnest(${sources}::text[]) k order by k`.execute(
      trx,
    );
    const current = await loadLatest(trx, sources);
    const fresh = records.flatMap((r, i) =>
      current.get(r.assetKey)?.get(r.partitionKey)?.dataVersion === r.dataVersion ? [] : [i],
    );
    const inserted = await recordMaterializations(
      trx,
      fresh.map((i) => records[i]!),
    );
    inserted.forEach((id, n) => {
      const r = records[fresh[n]!]!;
      ids.set(`${r.assetKey}\u0000${r.partitionKey}`, id);
    });
    for (const [n, id] of inserted.entries())
      await recordArtifacts(trx, id, artifactsOf[fresh[n]!]!);
    await sql`
      update strata_internal.latest_materializations l set observed_at = o.observed_at
      from unnest(${succeeded.map((o) => o.job.key)}::text[], ${succeeded.map((o) => o.job.partition)}::text[],
                  ${succeeded.map((o) => o.finishedAt.toISOString())}::timestamptz[]) as o(asset_key, partition_key, observed_at)
      where l.asset_key = o.asset_key and l.partition_key = o.partition_key`.execute(trx);
  });
  return ids;
}
