// The status report of every asset, evaluated again only when what it is computed from changed.
// A status evaluation of every asset is a pure function of the definitions (fixed for a server)
// and of four tables: the latest-materialization pointers (with their versions and observation
// times), the dynamic partition sets, the check evaluations (append-only: a verdict recorded by
// `strata check` on an old materialization can block or unblock it), and what a materialization
// consumed and produced (written once with it, never changed). A fingerprint of the first three
// (count and sum of a 64-bit hash of every row; the highest id of the append-only evaluations)
// is read before each evaluation; the same fingerprint means
// the same statuses. Read before the evaluation's own reads, it never names statuses older than
// the rows it hashed, so a cached report is never stale: a request after any write sees another
// fingerprint and evaluates again. Live run state (activity) and freshness (the clock) are not
// part of the report: callers read and judge them per request. Its readers only summarize, so
// assets of 50,000 partitions or more are judged in bulk (planner/bulk): counted, not listed.
import { sql, type Kysely } from 'kysely';
import type { AssetGraph } from '../../graph/index.js';
import { computeStatus, type StatusReport } from '../../planner/index.js';
import { maxCheckEvaluationId } from '../../provenance/index.js';
import type { Database } from '../../store/index.js';

/** What the statuses of every asset are computed from, as one comparable string. */
export async function statusFingerprint(db: Kysely<Database>): Promise<string> {
  const latest = db
    .selectFrom('strata_internal.latest_materializations as l')
    .select(
      sql<string>`count(*)::text || ':' || coalesce(sum(hashtextextended(concat_ws('|', l.asset_key, l.partition_key, l.materialization_id, l.code_version, l.data_version, l.input_hash, l.materialized_at, l.observed_at), 0)), 0)::text`.as(
        'fingerprint',
      ),
    );
  const dynamic = db
    .selectFrom('strata_internal.dynamic_partitions as d')
    .select(
      sql<string>`count(*)::text || ':' || coalesce(sum(hashtextextended(d.set_name || '|' || d.partition_key, 0)), 0)::text`.as(
        'fingerprint',
      ),
    );
  const [a, b, checks] = await Promise.all([
    latest.executeTakeFirstOrThrow(),
    dynamic.executeTakeFirstOrThrow(),
    maxCheckEvaluationId(db),
  ]);
  return `${a.fingerprint}/${b.fingerprint}/${checks}`;
}

/** The status report of every asset of one graph, kept while its fingerprint holds. */
export class StatusSnapshots {
  #cached: { fingerprint: string; report: StatusReport } | undefined;
  /** Evaluations done (tests and benchmarks: a repeated request evaluates nothing). */
  evaluations = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly graph: AssetGraph,
  ) {}

  /** The statuses of every asset as of now (evaluated at `now`). */
  async report(now: Date): Promise<StatusReport> {
    const fingerprint = await statusFingerprint(this.db);
    const cached = this.#cached;
    if (cached !== undefined && cached.fingerprint === fingerprint)
      return { ...cached.report, evaluatedAt: now };
    this.evaluations++;
    // Its readers summarize assets (GET /api/graph, /api/assets): large ones are judged in bulk.
    const { order } = this.graph;
    const report = await computeStatus(this.db, this.graph, order, now, { bulk: order });
    this.#cached = { fingerprint, report };
    return report;
  }
}
