// `strata db` against DATABASE_URL and an absent embedded server, global flags before the
// command, and how faults (not user errors) are reported with and without --verbose.
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { reportError } from '../../src/cli/report-error.js';
import { useTestDatabase } from '../support/database.js';
import { FIXTURE_ASSETS, runCli } from './cli-harness.js';

const database = useTestDatabase();

describe('strata db', () => {
  it('prints DATABASE_URL as the url strata uses', async () => {
    const result = await runCli(['db', 'url', '--json'], { databaseUrl: database.url });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ url: database.url, source: 'DATABASE_URL' });
  });

  it('reports an embedded server that is not running, without starting it', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'strata-cli-db-'));
    const result = await runCli(['db', 'status', '--json'], { env: { STRATA_HOME: home } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      databaseUrl: null,
      embedded: { running: false, dataDir: path.join(home, 'pg', 'data') },
    });
    const stop = await runCli(['db', 'stop'], { env: { STRATA_HOME: home } });
    expect(stop.stdout).toBe('The embedded PostgreSQL server was not running.\n');
  });

  it(
    'prints the password of the embedded server only in `strata db url`',
    { timeout: 120_000 },
    async () => {
      const home = await mkdtemp(path.join(os.tmpdir(), 'strata-cli-db-'));
      const env = { env: { STRATA_HOME: home } };
      try {
        const started = await runCli(['db', 'start', '--json'], env);
        expect(started.code, started.stderr).toBe(0);
        const password = (await readFile(path.join(home, 'pg', 'password'), 'utf8')).trim();
        expect(password.length).toBeGreaterThan(8);
        const status = await runCli(['db', 'status', '--json'], env);
        for (const output of [started.stdout, status.stdout]) {
          expect(output).not.toContain(password);
          expect(output).toMatch(/postgresql:\/\/postgres:\*+@127\.0\.0\.1:\d+\//);
        }
        expect(JSON.parse(status.stdout)).toMatchObject({ embedded: { running: true } });
        expect((await runCli(['db', 'url'], env)).stdout).toContain(password);
      } finally {
        await runCli(['db', 'stop'], env);
      }
    },
  );

  it('migrates an up-to-date database without applying anything', async () => {
    const result = await runCli(['db', 'migrate'], { databaseUrl: database.url });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^The schema of .* is up to date\.$/m);
  });
});

describe('global options', () => {
  it('may come before the command', async () => {
    const result = await runCli(['--definitions', FIXTURE_ASSETS, '--json', 'status', 'geometry'], {
      databaseUrl: database.url,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ selection: 'geometry' });
  });
});

describe('reportError', () => {
  const capture = (): { io: CliIo; stderr: () => string } => {
    let stderr = '';
    const io: CliIo = {
      stdout: { write: () => true },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      env: {},
      cwd: '/',
    };
    return { io, stderr: () => stderr };
  };

  it('hides the stack of a fault unless --verbose', () => {
    const quiet = capture();
    const fault = new TypeError('boom');
    expect(reportError(quiet.io, fault, { json: false, verbose: false })).toBe(1);
    expect(quiet.stderr()).toBe(
      'error: boom\nThis looks like a bug in strata or its environment; rerun with --verbose for the stack trace.\n',
    );
    const verbose = capture();
    reportError(verbose.io, new Error('outer', { cause: fault }), { json: false, verbose: true });
    expect(verbose.stderr()).toMatch(/^error: outer\nError: outer\n\s+at /);
    expect(verbose.stderr()).toContain('caused by:\nTypeError: boom');
  });
});
