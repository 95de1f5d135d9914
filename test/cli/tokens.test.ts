// `strata tokens create|list|revoke` in-process against the test database: the token is printed
// once, lists never show it, the OS user and host are recorded as who acted, and bad input
// (an unknown role, a missing name or role, an unknown action) is a clear error.
import { describe, expect, it } from 'vitest';
import { localActor } from '../../src/access/index.js';
import { useTestDatabase } from '../support/database.js';
import { runCli } from './cli-harness.js';

const database = useTestDatabase();
const cli = (argv: string[]) => runCli(argv, { databaseUrl: database.url });

describe('strata tokens', () => {
  it('creates a token shown once, lists it without its secret, and revokes it', async () => {
    const created = await cli(['tokens', 'create', 'alice', '--role', 'approver', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const token = JSON.parse(created.stdout) as { token: string; createdBy: string; role: string };
    expect(token.token).toMatch(/^strata_/);
    expect(token).toMatchObject({ role: 'approver', createdBy: localActor() });

    const human = await cli(['tokens', 'create', 'bob', '--role', 'viewer']);
    expect(human.stdout).toMatch(
      /^Created token bob \(role viewer\)\. It is shown this once; store it now:\n\n {2}strata_\S{43}\n/,
    );

    const list = await cli(['tokens', 'list']);
    expect(list.stdout).toMatch(/^NAME\s+ROLE\s+CREATED\s+BY\s+LAST USED\s+REVOKED/);
    expect(list.stdout).toMatch(/alice\s+approver\s+just now\s+\S+@\S+\s+never/);
    expect(list.stdout).not.toContain(token.token);
    const json = await cli(['tokens', 'list', '--json']);
    expect(json.stdout).not.toContain(token.token);
    expect(json.stdout).not.toMatch(/sha256|hash/);

    const revoked = await cli(['tokens', 'revoke', 'alice']);
    expect(revoked.stdout).toBe('Revoked token alice (role approver): it no longer works.\n');
    expect((await cli(['tokens', 'list'])).stdout).not.toMatch(/^alice/m);
    expect((await cli(['tokens', 'list', '--all'])).stdout).toMatch(/^alice .* by \S+@\S+$/m);
  });

  it.each([
    [
      ['tokens', 'create', 'carol', '--role', 'root'],
      1,
      /invalid role "root": the role must be one of viewer, operator, approver, planner/,
    ],
    [['tokens', 'create', 'carol'], 2, /strata tokens create needs --role/],
    [['tokens', 'create'], 2, /strata tokens create needs a token name/],
    [['tokens', 'revoke', 'nobody'], 1, /no active token named "nobody"/],
    [['tokens', 'lists'], 2, /unknown action "lists" for strata tokens[\s\S]*list/],
  ])('%j fails clearly', async (argv, code, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
