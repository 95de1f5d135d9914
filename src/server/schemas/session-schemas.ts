// Schema of GET /api/session: who the caller is (the principal of its token or session), what
// its role lets it do and whether the server is read-only, so a client shows only the actions it
// may take.
import { z } from 'zod';
import { CAPABILITIES, TOKEN_ROLES } from '../../access/index.js';
import { named } from './registry.js';

/** The caller: its name, role and capabilities. */
export const SessionResponse = named(
  'Session',
  z.object({
    name: z.string().meta({
      description:
        "the token's name; admin for STRATA_TOKEN; local on a loopback server without tokens",
    }),
    role: z.enum([...TOKEN_ROLES, 'admin']),
    capabilities: z
      .array(z.enum(CAPABILITIES))
      .meta({ description: 'what the role allows (docs/api.md, roles)' }),
    readOnly: z.boolean().meta({
      description: 'the server refuses to launch, cancel or resume runs (strata serve --read-only)',
    }),
  }),
);
