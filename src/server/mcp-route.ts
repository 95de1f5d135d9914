// `/mcp`: MCP over Streamable HTTP for AI planners, behind the server's authentication. It needs
// a token (a loopback server without tokens refuses it: a named planner token says who proposes)
// whose role may propose plans; what happens then is the MCP server's (src/mcp), which the
// command that starts the server passes in.
import type { Handler } from 'hono';
import { roleAllows, rolesAllowing, type Principal } from '../access/index.js';
import { ApiError } from './api-error.js';
import { LOCAL, principalOf } from './auth.js';
import { peerAddress } from './peer-address.js';

/** The handler of `/mcp`, delegating to `answer`. */
export function mcpRoute(
  answer: (request: Request, principal: Principal, origin: string) => Promise<Response>,
): Handler {
  return async (c) => {
    const principal = principalOf(c);
    if (principal === LOCAL)
      throw new ApiError(
        403,
        'MCP over HTTP needs a token, so that what a planner proposes is recorded under its name',
        {
          hint: 'strata tokens create NAME --role planner, then send Authorization: Bearer TOKEN',
        },
      );
    if (!roleAllows(principal.role, 'propose'))
      throw new ApiError(
        403,
        `token ${JSON.stringify(principal.name)} (role ${principal.role}) may not use MCP`,
        {
          hint: `that needs the role ${rolesAllowing('propose').join(', ')}`,
        },
      );
    return answer(c.req.raw, principal, `mcp http from ${peerAddress(c)}`);
  };
}
