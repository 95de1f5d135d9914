// A full artifact store, as an operator meets it: `strata materialize` runs under a real
// file-size limit (prlimit, RLIMIT_FSIZE), so writing the step's artifact fails at the file
// system with EFBIG. The attempt is handed back, not failed, and tried again after a wait; once
// the limit is lifted from the running process, the step succeeds. The asset has no retries of
// its own, so a store failure that spent one would have failed the run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localActor } from '../../src/access/index.js';
import { BIG_ARTIFACT_BYTES } from '../fixtures/cli/big-artifact.js';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli, type CliProcess } from './cli-process.js';

const database = useTestDatabase();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/cli/big-artifact.ts');
/** A quarter of the artifact: every write of it fails, the CLI's own small files do not. */
const FILE_SIZE_LIMIT = BIG_ARTIFACT_BYTES / 4;

let cli: CliProcess | undefined;
afterEach(() => {
  cli?.child.kill('SIGKILL');
  cli = undefined;
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('a full artifact store', () => {
  it(
    'hands the step back until there is room, then materializes it without spending a retry',
    { timeout: 60_000 },
    async () => {
      const home = mkdtempSync(path.join(tmpdir(), 'strata-full-store-'));
      cli = startCli(['materialize', 'big'], {
        databaseUrl: database.url,
        definitions: FIXTURE,
        env: { STRATA_HOME: home },
        prefix: ['prlimit', `--fsize=${FILE_SIZE_LIMIT}:`],
      });
      await cli.stderrMatch(
        /big: attempt 1 lost: could not write artifact "big\.bin" in the artifact store \S+ \(EFBIG\); the step is tried again in 1s/,
      );
      // The operator makes room: the running process may write files of any size again.
      execFileSync('prlimit', ['--pid', String(cli.child.pid), '--fsize=unlimited:']);
      const result = await cli.done;
      expect(result.code, result.stderr).toBe(0);

      const attempts = await database.db
        .selectFrom('strata_internal.attempts as a')
        .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
        .select(['a.status', 'a.error'])
        .where('s.asset_key', '=', 'big')
        .orderBy('a.number')
        .execute();
      // One or more tries while the limit held (the wait doubles), then one that succeeded.
      expect(attempts.at(-1)!.status).toBe('succeeded');
      for (const attempt of attempts.slice(0, -1)) {
        expect(attempt.status).toBe('lost');
        expect((attempt.error as { name: string }).name).toBe('ArtifactStoreFault');
      }
      // Exactly one materialization, however many tries the full store took.
      const materializations = await database.db
        .selectFrom('strata_internal.materializations')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('asset_key', '=', 'big')
        .executeTakeFirstOrThrow();
      expect(Number(materializations.n)).toBe(1);
      // The OS user and host that ran the command launched the run.
      const run = await database.db
        .selectFrom('strata_internal.runs')
        .select('launched_by')
        .where('selection', '=', 'big')
        .executeTakeFirstOrThrow();
      expect(run.launched_by).toBe(localActor());
      // Failed writes left nothing behind: only the whole artifact is in the store.
      const stored = filesUnder(path.join(home, 'artifacts'));
      expect(stored.map((file) => path.basename(file))).toEqual([
        expect.stringMatching(/^[0-9a-f]{64}$/),
      ]);
    },
  );
});
