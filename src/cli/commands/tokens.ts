// `strata tokens create|list|revoke`: the named API tokens of `strata serve` and their roles
// (src/access). A token is printed once, when it is created; the database keeps its sha256.
// Acting on the database directly, the CLI records the OS user and host as who did it.
import {
  createApiToken,
  listApiTokens,
  localActor,
  revokeApiToken,
  ROLE_CAPABILITIES,
  TOKEN_ROLES,
  type ApiTokenInfo,
} from '../../access/index.js';
import { ArgumentError } from '../argument-error.js';
import type { Command, CommandContext } from '../command.js';
import { runAction } from '../command-actions.js';
import { renderTable } from '../render/table.js';
import { relativeTime } from '../render/time.js';

type Action = 'create' | 'list' | 'revoke';

/** `strata tokens`. */
export const tokensCommand: Command = {
  name: 'tokens',
  summary: 'Create, list and revoke the named API tokens of strata serve',
  usage: [
    'strata tokens create NAME --role viewer|operator|approver|planner',
    'strata tokens list [--all]',
    'strata tokens revoke NAME',
  ],
  details: [
    'A server with active named tokens requires one from every caller (Authorization: Bearer',
    'TOKEN, or a browser session started by opening http://HOST:PORT/?token=TOKEN), on any',
    "address; the token's role limits what it may do:",
    ...TOKEN_ROLES.map((role) => `  ${role.padEnd(9)} ${ROLE_CAPABILITIES[role].join(', ')}`),
    'STRATA_TOKEN keeps working as the administrator. The token is printed once, at creation.',
  ],
  options: {
    role: { type: 'string', valueName: 'ROLE', description: 'the role of a new token' },
    all: { type: 'boolean', description: 'list: revoked tokens too' },
  },
  positionals: { min: 1, max: 2, names: 'an action (create, list or revoke) and a token name' },
  run: (context) => runAction(context, 'tokens', ACTION_HANDLERS),
};

/** The token name argument of create and revoke. */
function nameArgument(context: CommandContext, action: Action): string {
  const name = context.args[1];
  if (name === undefined)
    throw new ArgumentError(`strata tokens ${action} needs a token name`, {
      hint: `strata tokens ${action} NAME${action === 'create' ? ' --role viewer' : ''}`,
    });
  return name;
}

function tokenJson(token: ApiTokenInfo) {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    createdAt: token.createdAt.toISOString(),
    createdBy: token.createdBy,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    revokedBy: token.revokedBy,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}

const ACTION_HANDLERS: Record<Action, (context: CommandContext) => Promise<void>> = {
  async create(context) {
    const name = nameArgument(context, 'create');
    const role = context.flags.string('role');
    if (role === undefined)
      throw new ArgumentError('strata tokens create needs --role', {
        hint: `one of ${TOKEN_ROLES.join(', ')}`,
      });
    const { db } = await context.database();
    const created = await createApiToken(db, { name, role, createdBy: localActor() });
    if (context.json) {
      context.printJson({ ...tokenJson(created), token: created.token });
      return;
    }
    context.print(
      `Created token ${created.name} (role ${created.role}). It is shown this once; store it now:`,
      '',
      `  ${created.token}`,
      '',
      'strata serve now requires a token from every caller (this one, another named one, or STRATA_TOKEN).',
    );
  },
  async list(context) {
    const { db } = await context.database();
    const tokens = await listApiTokens(db, { includeRevoked: context.flags.boolean('all') });
    if (context.json) {
      context.printJson({ tokens: tokens.map(tokenJson) });
      return;
    }
    if (tokens.length === 0) {
      context.print('No named tokens (strata tokens create NAME --role ROLE makes one).');
      return;
    }
    const now = context.now();
    const bold = context.colors.bold;
    context.print(
      ...renderTable([
        ['NAME', 'ROLE', 'CREATED', 'BY', 'LAST USED', 'REVOKED'].map((h) => bold(h)),
        ...tokens.map((t) => [
          t.name,
          t.role,
          relativeTime(t.createdAt, now),
          t.createdBy,
          t.lastUsedAt === null ? 'never' : relativeTime(t.lastUsedAt, now),
          t.revokedAt === null ? '' : `${relativeTime(t.revokedAt, now)} by ${t.revokedBy ?? '?'}`,
        ]),
      ]),
    );
  },
  async revoke(context) {
    const name = nameArgument(context, 'revoke');
    const { db } = await context.database();
    const revoked = await revokeApiToken(db, name, localActor());
    if (context.json) context.printJson(tokenJson(revoked));
    else context.print(`Revoked token ${revoked.name} (role ${revoked.role}): it no longer works.`);
  },
};
