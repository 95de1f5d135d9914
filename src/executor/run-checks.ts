// `strata check`: evaluates checks on their own, outside any run, on the latest materialization
// of each selected partition (after a check was changed or added, say). Verdicts are recorded in
// batches, one statement each, and count from then on as any verdict does: a passing verdict
// unblocks dependants, a failing blocking one blocks them.
import type { AssetKey, CheckDefinition, MetadataValue } from '../definitions/index.js';
import { NotFoundError, UsageError } from '../errors.js';
import { formatAssetPartition, resolveSelection } from '../graph/index.js';
import { resolvePartitionSets } from '../planner/index.js';
import { loadLatest, recordCheckEvaluations } from '../provenance/index.js';
import { didYouMean } from '../util/closest.js';
import type { Engine } from './engine.js';
import { evaluateChecks, type CheckEvaluation } from './evaluate-checks.js';

/** What `strata check` evaluates. */
export interface CheckRunRequest {
  /** Selection syntax (default: every asset with checks). */
  readonly selection?: string;
  /** Only these partitions of partitioned assets. */
  readonly partitions?: readonly string[];
  /** Only the checks with these names. */
  readonly checks?: readonly string[];
  /** Stops before the next partition when aborted (what was evaluated is recorded). */
  readonly signal?: AbortSignal;
  /** Called after each partition's checks: done and total partitions. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Lines the check functions log. */
  readonly onLog?: (line: string) => void;
}

/** One evaluation of `strata check`. */
export interface CheckRunEvaluation extends CheckEvaluation {
  readonly materializationId: number;
}

/** What `strata check` did. */
export interface CheckRunSummary {
  readonly evaluations: readonly CheckRunEvaluation[];
  /** Selected partitions with checks but no materialization to judge. */
  readonly notMaterialized: readonly string[];
  /** Whether the signal stopped it before every partition was judged. */
  readonly interrupted: boolean;
}

/** Partitions judged between two recordings. */
const RECORD_EVERY = 100;

interface Subject {
  readonly key: AssetKey;
  readonly partition: string;
  readonly materializationId: number;
  readonly checks: readonly CheckDefinition[];
}

/** The checks of `key` to run, by name if names were given. */
function checksToRun(
  engine: Engine,
  key: AssetKey,
  names: readonly string[] | undefined,
): CheckDefinition[] {
  const all = engine.graph.checksOf(key);
  return names === undefined ? [...all] : all.filter((c) => names.includes(c.name));
}

/** The selected partitions with checks to run, and those not materialized yet. */
async function subjectsOf(
  engine: Engine,
  request: CheckRunRequest,
): Promise<{ subjects: Subject[]; notMaterialized: string[] }> {
  const { graph } = engine;
  const withChecks = graph.order.filter((key) => graph.checksOf(key).length > 0);
  if (withChecks.length === 0)
    throw new UsageError('no asset has checks', {
      hint: 'declare checks with check() and pass them to defineAssets(assets, { checks })',
    });
  const selection = resolveSelection(graph, request.selection);
  const keys = selection.keys.filter((key) => checksToRun(engine, key, request.checks).length > 0);
  if (keys.length === 0)
    throw new UsageError(
      request.checks === undefined
        ? `selection "${selection.text}" contains no asset with checks`
        : `selection "${selection.text}" has no check named ${request.checks.join(', ')}`,
      {
        hint: `checks: ${withChecks.flatMap((k) => graph.checksOf(k).map((c) => `${k}:${c.name}`)).join(', ')}`,
      },
    );
  const db = engine.database.db;
  const [sets, latest] = await Promise.all([
    resolvePartitionSets(db, graph, keys),
    loadLatest(db, keys),
  ]);
  const subjects: Subject[] = [];
  const notMaterialized: string[] = [];
  for (const key of keys) {
    const set = sets.get(key)!;
    // Sets, not arrays: a selection or --partition list may meet a set of a million keys.
    const restricted = selection.partitions.get(key);
    const selected = restricted === undefined ? undefined : new Set(restricted);
    let partitions = set.keys.filter((p) => selected === undefined || selected.has(p));
    if (request.partitions !== undefined && set.partitioned) {
      const known = new Set(set.keys);
      const unknown = request.partitions.find((p) => !known.has(p));
      if (unknown !== undefined)
        throw new NotFoundError(`asset ${key} has no partition ${JSON.stringify(unknown)}`, {
          hint: didYouMean(unknown, set.keys) ?? `strata status ${key} lists its partitions`,
        });
      const wanted = new Set(request.partitions);
      partitions = partitions.filter((p) => wanted.has(p));
    }
    for (const partition of partitions) {
      const version = latest.get(key)?.get(partition);
      if (version === undefined) notMaterialized.push(formatAssetPartition(key, partition));
      else
        subjects.push({
          key,
          partition,
          materializationId: version.materializationId,
          checks: checksToRun(engine, key, request.checks),
        });
    }
  }
  return { subjects, notMaterialized };
}

/** Loads the values and metadata of materializations by id. */
async function loadJudged(
  engine: Engine,
  ids: readonly number[],
): Promise<Map<number, { value: unknown; metadata: Record<string, MetadataValue> }>> {
  const rows = await engine.database.db
    .selectFrom('strata_internal.materializations')
    .select(['id', 'value', 'value_artifact', 'metadata'])
    .where('id', '=', (eb) => eb.fn.any(eb.val([...ids])))
    .execute();
  const judged = new Map<number, { value: unknown; metadata: Record<string, MetadataValue> }>();
  for (const row of rows) {
    const value =
      row.value_artifact === null
        ? row.value
        : (JSON.parse(
            (await engine.artifacts.read(row.value_artifact)).toString('utf8'),
          ) as unknown);
    judged.set(row.id, { value, metadata: row.metadata as Record<string, MetadataValue> });
  }
  return judged;
}

/** Evaluates the selected checks on the latest materializations and records the verdicts. */
export async function runChecks(
  engine: Engine,
  request: CheckRunRequest = {},
): Promise<CheckRunSummary> {
  const { subjects, notMaterialized } = await subjectsOf(engine, request);
  const evaluations: CheckRunEvaluation[] = [];
  const cancel = request.signal ?? new AbortController().signal;
  const log = (level: string) => (message: string) =>
    request.onLog?.(`${level === 'info' ? '' : `${level}: `}${message}`);
  let interrupted = false;
  for (let start = 0; start < subjects.length && !interrupted; start += RECORD_EVERY) {
    const batch = subjects.slice(start, start + RECORD_EVERY);
    const judged = await loadJudged(
      engine,
      batch.map((s) => s.materializationId),
    );
    const recorded: CheckRunEvaluation[] = [];
    for (const subject of batch) {
      if (cancel.aborted) {
        interrupted = true;
        break;
      }
      const { value, metadata } = judged.get(subject.materializationId)!;
      const label = formatAssetPartition(subject.key, subject.partition);
      const results = await evaluateChecks(subject.checks, {
        assetKey: subject.key,
        partitionKey: subject.partition,
        value,
        metadata,
        log: {
          info: (m) => log('info')(`${label}: ${m}`),
          warn: (m) => log('warn')(`${label}: ${m}`),
          error: (m) => log('error')(`${label}: ${m}`),
        },
        artifacts: {
          read: (ref) => engine.artifacts.read(ref),
          openReadStream: (ref) => engine.artifacts.openReadStream(ref),
        },
        cancelSignal: cancel,
        runId: null,
        stepId: null,
      }).catch((error: unknown) => {
        if (cancel.aborted) return undefined;
        throw error;
      });
      if (results === undefined) {
        interrupted = true;
        break;
      }
      for (const result of results)
        recorded.push({ ...result, materializationId: subject.materializationId });
      request.onProgress?.(start + batch.indexOf(subject) + 1, subjects.length);
    }
    await recordCheckEvaluations(engine.database.db, recorded);
    evaluations.push(...recorded);
  }
  return { evaluations, notMaterialized, interrupted };
}
