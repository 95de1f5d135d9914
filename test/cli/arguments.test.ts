// The command line itself: help, unknown commands and options (exit 2 with a suggestion),
// argument counts, and clean errors for missing or invalid definitions modules.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { BROKEN_ASSETS, FIXTURE_ASSETS, REPO_ROOT, runCli, WRONG_EXPORT } from './cli-harness.js';

const database = useTestDatabase();
const run = (...argv: string[]) => runCli(argv, { databaseUrl: database.url });

/** No stack frame ("    at f (file:1:2)") in user-facing errors. */
const STACK_FRAME = /^\s+at /m;

describe('help', () => {
  it('lists the commands with --help and exits 0', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    for (const name of ['materialize', 'plan', 'status', 'why', 'lineage', 'provenance', 'db']) {
      expect(result.stdout).toContain(`  ${name}`);
    }
  });

  it('prints the usage of one command', async () => {
    for (const argv of [
      ['plan', '--help'],
      ['help', 'plan'],
    ]) {
      const result = await run(...argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('strata plan [SELECTION] [--force] [--partition P]...');
      expect(result.stdout).toContain('--force');
      expect(result.stdout).toContain('--definitions PATH');
    }
  });

  it('prints the overview on stderr and exits 2 without a command', async () => {
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: strata <command>');
  });
});

describe('malformed command lines exit 2 with a suggestion', () => {
  it.each([
    [['stauts'], 'unknown command "stauts"', 'did you mean status?'],
    [['plan', '--forse'], 'unknown option --forse for strata plan', 'did you mean --force?'],
    [['status', '--jsno'], 'unknown option --jsno for strata status', 'did you mean --json?'],
    [['why'], 'strata why needs an asset partition', 'usage: strata why KEY[PART]'],
    [['status', 'a', 'b'], 'unexpected argument "b" for strata status', 'usage:'],
    [
      ['lineage', '1', '--depth'],
      'option --depth of strata lineage needs a value',
      'write --depth N',
    ],
    [['lineage', '1', '--depth', 'x'], '--depth must be a non-negative integer', 'e.g. --depth 2'],
    [['db', 'strat'], 'unknown action "strat" for strata db', 'did you mean start?'],
  ])('strata %j', async (argv, message, hint) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`error: ${message}`);
    expect(result.stderr).toContain(`hint: ${hint}`);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('reports errors as JSON on stderr with --json', async () => {
    const result = await run('plan', '--forse', '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr)).toEqual({
      error: {
        type: 'ArgumentError',
        fault: 'usage',
        message: 'unknown option --forse for strata plan',
        hint: 'did you mean --force?',
      },
    });
  });
});

describe('definitions', () => {
  it('names a missing --definitions file and how to point elsewhere', async () => {
    const result = await run('status', '--definitions', 'nowhere/assets.ts');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: definitions file not found: ${path.join(REPO_ROOT, 'nowhere/assets.ts')} (from --definitions)`,
    );
    expect(result.stderr).toContain('--definitions PATH');
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('explains where it looked when there is no assets/index.ts', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'strata-cli-'));
    const result = await runCli(['status'], { databaseUrl: database.url, cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: no asset definitions found: looked for assets/index.ts and assets/index.js in ${cwd}`,
    );
  });

  it('finds the definitions through STRATA_DEFINITIONS', async () => {
    const result = await runCli(['status', '--json'], {
      databaseUrl: database.url,
      env: { STRATA_DEFINITIONS: FIXTURE_ASSETS },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('shows a DefinitionError thrown at import time as a clean message', async () => {
    const result = await run('status', '--definitions', BROKEN_ASSETS);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: asset report depends on unknown asset geometri\n');
  });

  it('says what a module exported instead of defineAssets()', async () => {
    const result = await run('plan', '--definitions', WRONG_EXPORT);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('its default export is an array: pass it to defineAssets()');
  });

  it('explains an unknown asset in why with a suggestion and no stack trace', async () => {
    for (const [name, shown, suggestion] of [
      ['geometri', 'geometri', 'did you mean geometry?'],
      ['mesh[fine]', 'mesh', 'did you mean sim/mesh?'],
    ] as const) {
      const result = await run('why', name, '--definitions', FIXTURE_ASSETS);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`error: unknown asset ${shown}`);
      expect(result.stderr).toContain(`hint: ${suggestion}`);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    }
  });
});
