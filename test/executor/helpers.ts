// Shared helpers of the executor tests: promises resolved from inside compute functions, a
// deadline-bounded poll for database conditions, and readers of a run's recorded state.
import { sql } from 'kysely';
import type { MaterializeOutcome, RunSummary } from '../../src/executor/index.js';
import { isEventOf } from '../../src/provenance/index.js';
import type { AttemptStatus, EventKind, EventRow, EventRowOf } from '../../src/store/index.js';
import type { TestDatabase } from '../support/database.js';

/** A promise with its resolve function outside. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Resolves when `signal` aborts (never otherwise): what a well-behaved long compute awaits. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * Polls `check` every `intervalMs` until it returns something other than undefined; throws
 * `what` after `timeoutMs`. For database conditions that announce no event.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs = 20_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The summary of a run outcome; fails the test when there was nothing to do. */
export function summaryOf(outcome: MaterializeOutcome): RunSummary {
  if (outcome.kind !== 'run') throw new Error(`expected a run, got ${outcome.kind}`);
  return outcome.summary;
}

/** `key` or `key[partition]`. */
export function label(key: string, partition: string | null | undefined): string {
  return partition ? `${key}[${partition}]` : key;
}

/** The step of `key[partition]` in a summary; throws when absent. */
export function stepOf(summary: RunSummary, key: string, partition: string | null = null) {
  const step = summary.steps.find((s) => s.key === key && s.partition === partition);
  if (!step) throw new Error(`run ${summary.runId} has no step ${label(key, partition)}`);
  return step;
}

/** Attempt statuses of a step, in attempt order. */
export async function attemptStatuses(
  database: TestDatabase,
  stepId: number,
): Promise<AttemptStatus[]> {
  const rows = await database.db
    .selectFrom('strata_internal.attempts')
    .select(['status'])
    .where('step_id', '=', stepId)
    .orderBy('number')
    .execute();
  return rows.map((r) => r.status);
}

/** Events of a run in order; of one kind, with their data typed by that kind. */
export async function runEvents(database: TestDatabase, runId: number): Promise<EventRow[]>;
export async function runEvents<K extends EventKind>(
  database: TestDatabase,
  runId: number,
  kind: K,
): Promise<EventRowOf<K>[]>;
export async function runEvents(
  database: TestDatabase,
  runId: number,
  kind?: EventKind,
): Promise<EventRow[]> {
  let query = database.db
    .selectFrom('strata_internal.events')
    .selectAll()
    .where('run_id', '=', runId);
  if (kind !== undefined) query = query.where('kind', '=', kind);
  const rows = await query.orderBy('id').execute();
  return kind === undefined ? rows : rows.filter((row) => isEventOf(row, kind));
}

/** Number of materializations per `key[partition]` recorded by run `runId`. */
export async function materializationCounts(
  database: TestDatabase,
  runId: number,
): Promise<Record<string, number>> {
  const rows = await database.db
    .selectFrom('strata_internal.materializations')
    .select(['asset_key', 'partition_key', (eb) => eb.fn.countAll<number>().as('n')])
    .where('run_id', '=', runId)
    .groupBy(['asset_key', 'partition_key'])
    .execute();
  return Object.fromEntries(
    rows
      .map((r) => [label(r.asset_key, r.partition_key), Number(r.n)])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

/** Jobs left in graphile-worker's queue (locked or not). */
export async function queuedJobCount(database: TestDatabase): Promise<number> {
  const result = await sql<{
    n: string;
  }>`select count(*)::text as n from graphile_worker._private_jobs`.execute(database.db);
  return Number(result.rows[0]?.n ?? 0);
}

/** Counts compute invocations per `key[partition]`. */
export class ComputeCounter {
  readonly counts = new Map<string, number>();
  hit(key: string, partition: string | undefined): void {
    const name = label(key, partition);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  get(key: string, partition?: string): number {
    return this.counts.get(label(key, partition)) ?? 0;
  }
  sorted(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
