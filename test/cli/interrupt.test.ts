// Ctrl-C on a real `strata materialize` process: the run is cancelled cleanly (exit 130, the
// resume command printed), and `strata materialize --resume RUN` finishes that same run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { waitFor } from '../executor/helpers.js';
import { REPO_ROOT, type CliResult } from './cli-harness.js';

const database = useTestDatabase();
const BIN = path.join(REPO_ROOT, 'bin/strata.js');
const SLOW_ASSETS = path.join(REPO_ROOT, 'test/fixtures/cli/slow-assets.ts');

function startCli(argv: string[], extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    NO_COLOR: '1',
    ...extraEnv,
  };
  delete env.STRATA_DEFINITIONS;
  const child = spawn(process.execPath, [BIN, ...argv, '--definitions', SLOW_ASSETS], {
    cwd: REPO_ROOT,
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return { child, done };
}

describe('Ctrl-C during strata materialize', () => {
  it('cancels the run cleanly, and --resume finishes it', async () => {
    const first = startCli(['materialize', '--concurrency', '2']);
    const running = await waitFor('solve to be running', () =>
      database.db
        .selectFrom('strata_internal.attempts as a')
        .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
        .select(['s.run_id'])
        .where('s.asset_key', '=', 'solve')
        .where('a.status', '=', 'running')
        .executeTakeFirst(),
    );
    first.child.kill('SIGINT');
    const interrupted = await first.done;
    expect(interrupted.code).toBe(130);
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
  });
});
