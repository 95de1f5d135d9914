// Named API tokens (migrations/0011): created with a name and a role, shown once, stored as
// their sha256, listed without secrets, revoked by name. The server resolves a presented token
// to the principal it stands for.
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { NotFoundError, UsageError } from '../errors.js';
import type { Database } from '../store/index.js';
import { TOKEN_ROLES, type Role, type TokenRole } from './roles.js';

/** Every token strata issues starts with this, so a leaked one is recognizable in a scan. */
export const TOKEN_PREFIX = 'strata_';
/** Random bytes of a token: 256 bits, base64url-encoded (43 characters). */
const TOKEN_BYTES = 32;
/** How often at most the last use of a token is written (not on every request). */
const LAST_USED_EVERY_MS = 60_000;

/** Who is acting: a named token's holder, the administrator, or a local OS user. */
export interface Principal {
  /** The token's name, `admin` for the server's STRATA_TOKEN, `user@host` on the CLI. */
  readonly name: string;
  readonly role: Role;
  /** The named token's id, or null. */
  readonly tokenId: number | null;
}

const nameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/,
    'a token name is 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
  );
const roleSchema = z.enum(TOKEN_ROLES, {
  error: () => `the role must be one of ${TOKEN_ROLES.join(', ')}`,
});

/** A stored token as listed (never its secret or hash). */
export interface ApiTokenInfo {
  readonly id: number;
  readonly name: string;
  readonly role: TokenRole;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly revokedAt: Date | null;
  readonly revokedBy: string | null;
  readonly lastUsedAt: Date | null;
}

/** A token just created: the secret is in `token`, and nowhere else ever again. */
export interface CreatedApiToken extends ApiTokenInfo {
  readonly token: string;
}

/** The sha256 a token is stored and looked up by. */
function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Checks a name and a role, naming what is wrong. */
function parseNameAndRole(name: string, role: string): { name: string; role: TokenRole } {
  const parsedName = nameSchema.safeParse(name);
  if (!parsedName.success)
    throw new UsageError(
      `invalid token name ${JSON.stringify(name)}: ${parsedName.error.issues[0]!.message}`,
    );
  const parsedRole = roleSchema.safeParse(role);
  if (!parsedRole.success)
    throw new UsageError(
      `invalid role ${JSON.stringify(role)}: ${parsedRole.error.issues[0]!.message}`,
      {
        hint: 'viewer reads; operator also runs; approver also approves plans; planner reads and proposes plans',
      },
    );
  return { name: parsedName.data, role: parsedRole.data };
}

const INFO_COLUMNS = [
  'id',
  'name',
  'role',
  'created_at',
  'created_by',
  'revoked_at',
  'revoked_by',
  'last_used_at',
] as const;

function infoOf(row: {
  id: number;
  name: string;
  role: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role as TokenRole,
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    lastUsedAt: row.last_used_at,
  };
}

/** Creates a token named `name` with `role`; refuses a name an active token has. */
export async function createApiToken(
  db: Kysely<Database>,
  request: { readonly name: string; readonly role: string; readonly createdBy: string },
): Promise<CreatedApiToken> {
  const { name, role } = parseNameAndRole(request.name, request.role);
  const token = `${TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
  try {
    const row = await db
      .insertInto('strata_internal.api_tokens')
      .values({ name, role, token_sha256: tokenHash(token), created_by: request.createdBy })
      .returning(INFO_COLUMNS)
      .executeTakeFirstOrThrow();
    return { ...infoOf(row), token };
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new UsageError(`a token named ${JSON.stringify(name)} exists already`, {
        hint: `revoke it first (strata tokens revoke ${name}), or choose another name`,
      });
    throw error;
  }
}

/** Every token, newest first; revoked ones only when asked. */
export async function listApiTokens(
  db: Kysely<Database>,
  options: { readonly includeRevoked?: boolean } = {},
): Promise<ApiTokenInfo[]> {
  let query = db
    .selectFrom('strata_internal.api_tokens')
    .select(INFO_COLUMNS)
    .orderBy('id', 'desc');
  if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
  return (await query.execute()).map(infoOf);
}

/** Revokes the active token named `name`; it stops working at once. */
export async function revokeApiToken(
  db: Kysely<Database>,
  name: string,
  revokedBy: string,
): Promise<ApiTokenInfo> {
  const row = await db
    .updateTable('strata_internal.api_tokens')
    .set({ revoked_at: sql<Date>`now()`, revoked_by: revokedBy })
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .returning(INFO_COLUMNS)
    .executeTakeFirst();
  if (row === undefined)
    throw new NotFoundError(`no active token named ${JSON.stringify(name)}`, {
      hint: 'strata tokens list shows the active tokens',
    });
  return infoOf(row);
}

/** Whether active named tokens exist: a server then requires one from every caller. */
export async function hasActiveApiTokens(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('strata_internal.api_tokens')
    .select('id')
    .where('revoked_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the token of this id exists and is not revoked. */
export async function isApiTokenActive(db: Kysely<Database>, tokenId: number): Promise<boolean> {
  const row = await db
    .selectFrom('strata_internal.api_tokens')
    .select('id')
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The principal a presented token stands for, or undefined when it is no active token. Notes
 * the use (at most once a minute per token).
 */
export async function resolveApiToken(
  db: Kysely<Database>,
  token: string,
): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await db
    .selectFrom('strata_internal.api_tokens')
    .select(['id', 'name', 'role', 'last_used_at'])
    .where('token_sha256', '=', tokenHash(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > LAST_USED_EVERY_MS) {
    await db
      .updateTable('strata_internal.api_tokens')
      .set({ last_used_at: sql<Date>`now()` })
      .where('id', '=', row.id)
      .execute();
  }
  return { name: row.name, role: row.role as TokenRole, tokenId: row.id };
}
