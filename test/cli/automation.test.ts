// `strata daemon --once` and `strata automation history`: one tick from the command line, what it
// held back and launched and why, and the history of ticks, in text and --json.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT, runCli } from './cli-harness.js';

const database = useTestDatabase();
const AUTOMATED = path.join(REPO_ROOT, 'test/fixtures/cli/automated-assets.ts');
const cli = (argv: string[]) =>
  runCli([...argv, '--definitions', AUTOMATED], { databaseUrl: database.url });

describe('strata daemon --once and strata automation history', () => {
  it('holds, launches and records, with reasons', async () => {
    const held = await cli(['daemon', '--once', '--concurrency', '1']);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).toContain(
      'held back:\n  trend  waiting for readings (missing, not automated)',
    );

    expect((await cli(['materialize', 'readings'])).code).toBe(0);
    const launched = await cli(['daemon', '--once', '--concurrency', '1']);
    expect(launched.code, launched.stderr).toBe(0);
    expect(launched.stdout).toMatch(/launched run \d+:\n {2}trend {2}eager: never materialized/);
    expect(launched.stdout).toMatch(/run \d+ succeeded/);

    const idle = await cli(['daemon', '--once']);
    expect(idle.stdout).toContain('1 automated asset(s): nothing to do');

    const history = await cli(['automation', 'history', '--limit', '2']);
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^TICK\s+WHEN\s+STATUS\s+EVALUATED\s+OBSERVED\s+RUN\s+LAUNCHED\s+HELD/,
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      /succeeded\s+1 assets, 1 partitions\s+-\s+\d+\s+trend: never materialized/,
    );

    const json = await cli(['automation', 'history', '--json']);
    const { ticks } = JSON.parse(json.stdout) as {
      ticks: { status: string; run_id: number | null }[];
    };
    expect(ticks.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(ticks.map((t) => t.run_id === null)).toEqual([true, false, true]);
  });

  it.each([
    [['automation', 'list'], 'unknown action "list" of strata automation'],
    [
      ['automation', 'history', '--limit', '0'],
      '--limit must be an integer from 1 to 10000, not 0',
    ],
    [['daemon', '--interval', '10ms'], '--interval must be at least 1s'],
    [['daemon', '--interval', 'soon'], '--interval'],
  ])('refuses %j', async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
