// Named API tokens against real PostgreSQL: created with a name and role and shown once, stored
// only as a hash, listed without secrets, one active token per name, revoked by name, and
// resolved to the principal they stand for only while active.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createApiToken,
  hasActiveApiTokens,
  isApiTokenActive,
  listApiTokens,
  resolveApiToken,
  revokeApiToken,
  roleAllows,
  rolesAllowing,
  TOKEN_ROLES,
  type Capability,
  type Role,
} from '../../src/access/index.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

describe('roles', () => {
  it.each<[Role, Capability[]]>([
    ['viewer', ['read']],
    ['operator', ['read', 'run']],
    ['approver', ['read', 'run', 'propose', 'approve']],
    ['planner', ['read', 'propose']],
    ['admin', ['read', 'run', 'propose', 'approve', 'manage_tokens']],
  ])('%s may %j and nothing else', (role, allowed) => {
    for (const capability of ['read', 'run', 'propose', 'approve', 'manage_tokens'] as const)
      expect(roleAllows(role, capability), capability).toBe(allowed.includes(capability));
  });

  it('names who may approve: never a planner', () => {
    expect(rolesAllowing('approve')).toEqual(['approver', 'admin']);
    expect(TOKEN_ROLES).toContain('planner');
  });
});

describe('named API tokens', () => {
  it('are shown once, stored as their sha256, and resolve to their principal while active', async () => {
    const { db } = database;
    const created = await createApiToken(db, {
      name: 'alice',
      role: 'viewer',
      createdBy: 'ops@host',
    });
    expect(created.token).toMatch(/^strata_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      name: 'alice',
      role: 'viewer',
      createdBy: 'ops@host',
      revokedAt: null,
    });
    const stored = await db
      .selectFrom('strata_internal.api_tokens')
      .select('token_sha256')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_sha256.equals(createHash('sha256').update(created.token).digest())).toBe(
      true,
    );
    const listed = await listApiTokens(db);
    expect(listed.find((t) => t.id === created.id)).not.toHaveProperty('token');
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(await hasActiveApiTokens(db)).toBe(true);

    expect(await resolveApiToken(db, created.token)).toEqual({
      name: 'alice',
      role: 'viewer',
      tokenId: created.id,
    });
    expect(await resolveApiToken(db, `${created.token}x`)).toBeUndefined();
    expect(await resolveApiToken(db, 'not-a-strata-token')).toBeUndefined();
    const used = await listApiTokens(db);
    expect(used.find((t) => t.id === created.id)!.lastUsedAt).not.toBeNull();

    const revoked = await revokeApiToken(db, 'alice', 'ops@host');
    expect(revoked.revokedBy).toBe('ops@host');
    expect(await resolveApiToken(db, created.token)).toBeUndefined();
    expect(await isApiTokenActive(db, created.id)).toBe(false);
    expect((await listApiTokens(db)).map((t) => t.id)).not.toContain(created.id);
    expect((await listApiTokens(db, { includeRevoked: true })).map((t) => t.id)).toContain(
      created.id,
    );
    // The name is free again once revoked.
    const again = await createApiToken(db, {
      name: 'alice',
      role: 'operator',
      createdBy: 'ops@host',
    });
    expect(await isApiTokenActive(db, again.id)).toBe(true);
    await revokeApiToken(db, 'alice', 'ops@host');
  });

  it.each([
    [
      { name: 'bob', role: 'root' },
      /invalid role "root": the role must be one of viewer, operator, approver, planner/,
    ],
    [
      { name: 'has space', role: 'viewer' },
      /invalid token name "has space": a token name is 1-64 letters/,
    ],
    [{ name: '', role: 'viewer' }, /invalid token name ""/],
    [{ name: 'x'.repeat(65), role: 'viewer' }, /invalid token name/],
  ])('refuses %j, writing nothing', async (request, message) => {
    const before = (await listApiTokens(database.db, { includeRevoked: true })).length;
    await expect(
      createApiToken(database.db, { ...request, createdBy: 'ops@host' }),
    ).rejects.toThrow(message);
    expect((await listApiTokens(database.db, { includeRevoked: true })).length).toBe(before);
  });

  it('keeps one active token per name, and revokes only what exists', async () => {
    const { db } = database;
    await createApiToken(db, { name: 'ci', role: 'operator', createdBy: 'ops@host' });
    await expect(
      createApiToken(db, { name: 'ci', role: 'viewer', createdBy: 'ops@host' }),
    ).rejects.toThrow('a token named "ci" exists already');
    await revokeApiToken(db, 'ci', 'ops@host');
    await expect(revokeApiToken(db, 'ci', 'ops@host')).rejects.toThrow(
      'no active token named "ci"',
    );
  });
});
