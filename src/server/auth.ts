// Bearer-token authentication: when the server has a token, every request must carry
// `Authorization: Bearer <token>`; the comparison takes the same time whatever the guess.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { UsageError } from '../errors.js';
import { ApiError } from './api-error.js';

/** Tokens shorter than this are refused: they could be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/** Throws when `token` is too weak to protect a server. */
export function checkToken(token: string): void {
  if (token.trim().length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`the token must be at least ${MIN_TOKEN_LENGTH} characters long`, {
      hint: 'generate one with: openssl rand -hex 32',
    });
  }
}

/** The middleware that requires `token`. */
export function bearerAuth(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('Authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      throw new ApiError(401, 'authentication required: send Authorization: Bearer <token>', {
        hint: 'the token is the STRATA_TOKEN the server was started with',
      });
    }
    if (!timingSafeEqual(digest(match[1]!), expected)) {
      throw new ApiError(401, 'invalid token', {
        hint: 'the token is the STRATA_TOKEN the server was started with',
      });
    }
    await next();
  };
}

/** Equal-length digests, so timingSafeEqual also hides the token's length. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
