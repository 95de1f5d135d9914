// Asset checks on the command line, as a user meets them: materialize fails the step a blocking
// check fails (exit 1); status shows the partition blocked and a CHECKS column; why names the
// check and what it found; plan and materialize hold back what reads it (exit 1); `strata check`
// with a corrected check records passing verdicts, and the held-back partitions are built.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT, runCli } from './cli-harness.js';

const STRICT = path.join(REPO_ROOT, 'test/fixtures/cli/checked-assets.ts');
const LOOSE = path.join(REPO_ROOT, 'test/fixtures/cli/checked-assets-loose.ts');
const database = useTestDatabase();
const strata = (definitions: string, ...argv: string[]) =>
  runCli([...argv, '--definitions', definitions], { databaseUrl: database.url });

describe('asset checks on the command line', () => {
  it('blocks, explains, holds back, and unblocks after strata check', async () => {
    const first = await strata(STRICT, 'materialize');
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(
      'mesh[d2] failed blocking check aspect_ratio: max aspect ratio 12',
    );

    const status = await strata(STRICT, 'status');
    expect(status.code).toBe(0);
    const lines = status.stdout.split('\n');
    expect(lines[0]).toMatch(/^ASSET +STATUS +MATERIALIZED +CHECKS +CAUSE$/);
    expect(lines.find((l) => l.startsWith('mesh '))).toMatch(
      /^mesh +2 fresh, 1 blocked of 3 +(just now|\S+ ago) +1 failed \(blocking\), 2 warned, 3 passed +check$/,
    );
    expect(status.stdout).toContain('(7 partitions: 4 fresh, 2 missing, 1 blocked)');

    const why = await strata(STRICT, 'why', 'mesh[d2]');
    expect(why.stdout).toContain('mesh[d2] is blocked (materialized');
    expect(why.stdout).toContain(
      '  - check: blocking check aspect_ratio failed on materialization',
    );
    expect(why.stdout).toContain('  - aspect_ratio failed (blocking): max aspect ratio 12');
    expect(why.stdout).toContain('  - smooth warned');

    const plan = await strata(STRICT, 'plan');
    expect(plan.stdout).toContain(
      '1 partition is blocked by a failing blocking check and not rebuilt',
    );
    expect(plan.stdout).toContain('2 partitions are held back: they read a blocked partition.');
    expect(plan.stdout).toContain('  solve[d2] waits for mesh[d2] (check aspect_ratio)');
    expect(plan.stdout).toContain('  report waits for mesh[d2] (check aspect_ratio)');

    const again = await strata(STRICT, 'materialize');
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^Nothing to do: 4 partitions are fresh\./);
    expect(again.stderr).toContain(
      '3 selected partitions are not up to date because of failing blocking checks',
    );

    const failing = await strata(STRICT, 'check', 'mesh', '--check', 'aspect_ratio');
    expect(failing.code).toBe(1);
    expect(failing.stdout).toBe(
      [
        'mesh[d2] aspect_ratio failed (blocking): max aspect ratio 12',
        '',
        '3 verdicts on 3 partitions: 1 failed, 2 passed',
        '',
      ].join('\n'),
    );

    const loose = await strata(LOOSE, 'check', '--json');
    expect(loose.code).toBe(0);
    const document = JSON.parse(loose.stdout) as {
      evaluations: {
        assetKey: string;
        partitionKey: string;
        checkName: string;
        passed: boolean;
        checkVersion: string;
      }[];
      notMaterialized: string[];
    };
    expect(
      document.evaluations
        .filter((e) => e.checkName === 'aspect_ratio')
        .map((e) => [e.partitionKey, e.passed, e.checkVersion]),
    ).toEqual([
      ['d1', true, 'limit-20'],
      ['d2', true, 'limit-20'],
      ['d3', true, 'limit-20'],
    ]);
    expect(document.notMaterialized).toEqual([]);

    const unblocked = await strata(LOOSE, 'materialize');
    expect(unblocked.code).toBe(0);
    expect(unblocked.stdout).toContain('Plan: 2 steps (2 missing)');
  });

  it('says what is wrong with a selection without checks or an unknown check', async () => {
    const none = await strata(STRICT, 'check', 'solve');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('selection "solve" contains no asset with checks');
    const unknown = await strata(STRICT, 'check', '--check', 'nope');
    expect(unknown.stderr).toContain('has no check named nope');
    expect(unknown.stderr).toContain('checks: mesh:aspect_ratio, mesh:smooth');
    const partition = await strata(STRICT, 'check', 'mesh', '--partition', 'd4');
    expect(partition.code).toBe(1);
    expect(partition.stderr).toContain('asset mesh has no partition "d4"');
    expect(partition.stderr).toContain('did you mean d1?');
  });
});
