// GET /api/session: who the caller is. The principal its token or browser session stands for,
// with the role's capabilities, so the UI offers Approve only to those who may approve (the
// routes check again: what the UI hides is never what protects).
import { ROLE_CAPABILITIES } from '../../access/index.js';
import { principalOf } from '../auth.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { SessionResponse } from '../schemas/session-schemas.js';

const sessionRoute = defineRoute({
  method: 'get',
  path: '/api/session',
  operationId: 'getSession',
  tag: 'meta',
  summary: 'Who the caller is: name, role and capabilities; whether the server is read-only',
  responses: [{ status: 200, description: 'the caller', schema: SessionResponse }],
  handle({ c, server }) {
    const { name, role } = principalOf(c);
    return c.json({
      name,
      role,
      capabilities: [...ROLE_CAPABILITIES[role]],
      readOnly: !server.launcher.enabled,
    });
  },
});

/** The session route. */
export const sessionRoutes: readonly ApiRoute[] = [sessionRoute];
