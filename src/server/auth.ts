// Token authentication: when the server has a token, every request must carry it, either as
// `Authorization: Bearer <token>` (scripts) or as the `strata_token` cookie (browsers, which
// cannot add a header to EventSource or to loading a page). Opening a page with `?token=<token>`
// sets the cookie and redirects to the same URL without it. Comparisons take the same time
// whatever the guess.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { UsageError } from '../errors.js';
import { ApiError } from './api-error.js';

/** Tokens shorter than this are refused: they could be guessed. */
export const MIN_TOKEN_LENGTH = 16;
/** The cookie a browser presents the token in. */
export const TOKEN_COOKIE = 'strata_token';
/** The query parameter of a page URL that sets the cookie (`/?token=...`). */
export const TOKEN_PARAMETER = 'token';

const TOKEN_HINT = 'the token is the STRATA_TOKEN the server was started with';

/** Throws when `token` is too weak to protect a server. */
export function checkToken(token: string): void {
  if (token.trim().length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`the token must be at least ${MIN_TOKEN_LENGTH} characters long`, {
      hint: 'generate one with: openssl rand -hex 32',
    });
  }
}

/** The middleware that requires `token` in the Authorization header or the cookie. */
export function bearerAuth(token: string): MiddlewareHandler {
  const expected = digest(token);
  const matches = (candidate: string) => timingSafeEqual(digest(candidate), expected);
  return async (c, next) => {
    const url = new URL(c.req.url);
    const offered = url.searchParams.get(TOKEN_PARAMETER);
    if (offered !== null && c.req.method === 'GET' && !isApiPath(url.pathname)) {
      if (!matches(offered))
        throw new ApiError(401, `invalid token in the URL parameter ${TOKEN_PARAMETER}`, {
          field: TOKEN_PARAMETER,
          hint: TOKEN_HINT,
        });
      return exchangeForCookie(c, url, token);
    }
    const header = c.req.header('Authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (match === null) {
        throw new ApiError(
          401,
          'malformed Authorization header: send Authorization: Bearer <token>',
          {
            hint: TOKEN_HINT,
          },
        );
      }
      if (!matches(match[1]!)) throw new ApiError(401, 'invalid token', { hint: TOKEN_HINT });
      return next();
    }
    const cookie = getCookie(c, TOKEN_COOKIE);
    if (cookie === undefined) {
      throw new ApiError(
        401,
        `authentication required: send Authorization: Bearer <token>, or open a page with ?${TOKEN_PARAMETER}=<token> once to set the ${TOKEN_COOKIE} cookie`,
        { hint: `${TOKEN_HINT}; strata serve prints the URL to open` },
      );
    }
    if (!matches(cookie)) {
      throw new ApiError(401, `invalid token in the ${TOKEN_COOKIE} cookie`, {
        hint: `open the URL strata serve printed (with ?${TOKEN_PARAMETER}=) to set it again`,
      });
    }
    return next();
  };
}

/** Sets the cookie and answers 303 to `url` without the token parameter. */
function exchangeForCookie(c: Context, url: URL, token: string): Response {
  setCookie(c, TOKEN_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: url.protocol === 'https:',
  });
  url.searchParams.delete(TOKEN_PARAMETER);
  // A relative location on this server; leading slashes collapsed so `//host` cannot leave it.
  const path = `/${url.pathname.replace(/^\/+/, '')}`;
  c.header('Cache-Control', 'no-store');
  return c.redirect(`${path}${url.search}`, 303);
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/** Equal-length digests, so timingSafeEqual also hides the token's length. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
