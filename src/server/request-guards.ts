// Guards against other web pages driving the API through a user's browser:
// - Host check (DNS rebinding): without a token, only requests addressed to a loopback name
//   (or an allowed host) are served, so a page whose name resolves to 127.0.0.1 gets nothing.
// - State-changing requests must be POST with a JSON body (a cross-origin form cannot send one
//   without a CORS preflight, which this server never grants) and must come from the server's
//   own origin when the browser says where they come from (Origin, Sec-Fetch-Site).
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.js';

/** Host names every server accepts when it has no token. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** Refuses requests whose Host is not in `allowed` (names without ports, lowercase). */
export function hostCheck(allowed: readonly string[]): MiddlewareHandler {
  const names = new Set(allowed.map((host) => host.toLowerCase()));
  return async (c, next) => {
    const hostname = new URL(c.req.url).hostname.toLowerCase();
    if (!names.has(hostname)) {
      throw new ApiError(403, `requests for host ${JSON.stringify(hostname)} are not served`, {
        hint: 'open the server as http://127.0.0.1:PORT or http://localhost:PORT, or start it with a token',
      });
    }
    await next();
  };
}

/**
 * Refuses cross-origin and non-JSON state-changing requests. `trustedOrigins` are accepted
 * besides the request's own origin (e.g. `https://strata.example.com` behind a TLS proxy).
 */
export function sameOriginWrites(trustedOrigins: readonly string[] = []): MiddlewareHandler {
  const trusted = new Set(trustedOrigins);
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const own = new URL(c.req.url).origin;
    const site = c.req.header('Sec-Fetch-Site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new ApiError(403, `cross-origin request refused (Sec-Fetch-Site: ${site})`);
    }
    const origin = c.req.header('Origin');
    if (origin !== undefined && origin !== own && !trusted.has(origin)) {
      throw new ApiError(403, `cross-origin request refused: Origin ${origin} is not ${own}`);
    }
    const type = c.req.header('Content-Type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError(415, 'state-changing requests must send a JSON body', {
        field: 'Content-Type',
        hint: 'send Content-Type: application/json (an empty body counts as {})',
      });
    }
    await next();
  };
}
