// Samples what the benchmark database's backends are doing (pg_stat_activity) every few
// milliseconds: running in PostgreSQL, waiting for WAL flush (fsync), waiting on a lock, or
// idle in a transaction while Node works (ClientRead). Shares of samples show what bounds a run.
import pg from 'pg';
import { databaseUrl, type BenchServer } from './server.js';

/** How often the sampler looks; 5 ms resolves per-step phases of a few milliseconds. */
const SAMPLE_INTERVAL_MS = 5;

/** A running sampler; stop() returns "state: share" pairs, largest first. */
export interface WaitSampler {
  stop(): Promise<string>;
}

/** Starts sampling the backends of database `name` (other than its own). */
export async function startWaitSampler(server: BenchServer, name: string): Promise<WaitSampler> {
  const client = new pg.Client({ connectionString: databaseUrl(server.adminUrl, name) });
  client.on('error', () => {});
  await client.connect();
  const tally = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ state: string; wait: string | null }>(
        `select state, wait_event_type || ':' || wait_event as wait
         from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid()
           and backend_type = 'client backend' and state <> 'idle'`,
      );
      samples++;
      for (const row of rows) {
        const what =
          row.state === 'active'
            ? `active ${row.wait ?? '(on CPU)'}`
            : `${row.state}${row.wait === 'Client:ClientRead' ? ' (Node working)' : ` ${row.wait ?? ''}`}`;
        tally.set(what, (tally.get(what) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.end();
      const total = [...tally.values()].reduce((a, b) => a + b, 0);
      const top = [...tally].sort((a, b) => b[1] - a[1]).slice(0, 6);
      return `non-idle backends sampled every ${SAMPLE_INTERVAL_MS} ms (${samples} samples, avg ${(total / Math.max(1, samples)).toFixed(2)} busy backends): ${top.map(([k, n]) => `${k} ${((n / samples) * 100).toFixed(0)}%`).join(', ')}`;
    },
  };
}
