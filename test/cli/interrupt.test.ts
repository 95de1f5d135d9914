// Ctrl-C or SIGTERM to a real `strata materialize` process: the run is cancelled cleanly (exit
// 130 or 143, the resume command printed), and `strata materialize --resume RUN` finishes it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { waitFor } from '../executor/helpers.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli as startCliProcess } from './cli-process.js';

const database = useTestDatabase();
const SLOW_ASSETS = path.join(REPO_ROOT, 'test/fixtures/cli/slow-assets.ts');

function startCli(argv: string[], env: Record<string, string> = {}) {
  return startCliProcess(argv, { databaseUrl: database.url, definitions: SLOW_ASSETS, env });
}

describe('Ctrl-C or SIGTERM during strata materialize', () => {
  it.each([
    { signal: 'SIGINT', exitCode: 130 },
    { signal: 'SIGTERM', exitCode: 143 },
  ] as const)(
    '$signal cancels the run cleanly, and --resume finishes it',
    async ({ signal, exitCode }) => {
      const first = startCli(['materialize', '--force', '--concurrency', '2']);
      const running = await waitFor('solve to be running', () =>
        database.db
          .selectFrom('strata_internal.attempts as a')
          .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
          .select(['s.run_id'])
          .where('s.asset_key', '=', 'solve')
          .where('a.status', '=', 'running')
          .executeTakeFirst(),
      );
      first.child.kill(signal);
      const interrupted = await first.done;
      expect(interrupted.code).toBe(exitCode);
      expect(interrupted.stderr).toContain(
        `resume with: strata materialize --resume ${running.run_id}`,
      );
      const canceled = await database.db
        .selectFrom('strata_internal.steps')
        .select(['asset_key', 'status'])
        .where('run_id', '=', running.run_id)
        .orderBy('asset_key')
        .execute();
      expect(canceled).toEqual([
        { asset_key: 'prepare', status: 'succeeded' },
        { asset_key: 'report', status: 'canceled' },
        { asset_key: 'solve', status: 'canceled' },
      ]);

      const resumed = await startCli(['materialize', '--resume', String(running.run_id)], {
        STRATA_FIXTURE_FAST: '1',
      }).done;
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toContain(`run ${running.run_id} succeeded`);
      const materializations = await database.db
        .selectFrom('strata_internal.materializations')
        .select(['asset_key', (eb) => eb.fn.countAll<number>().as('n')])
        .where('run_id', '=', running.run_id)
        .groupBy('asset_key')
        .orderBy('asset_key')
        .execute();
      expect(materializations.map((m) => [m.asset_key, Number(m.n)])).toEqual([
        ['prepare', 1],
        ['report', 1],
        ['solve', 1],
      ]);
    },
  );
});
