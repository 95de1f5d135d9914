// Authentication: who a request comes from. With a token required (the server's STRATA_TOKEN,
// or named tokens in the database: `strata tokens create`), every request must carry one,
// either as `Authorization: Bearer <token>` (scripts, MCP clients) or as a session cookie
// (browsers, which cannot add a header to EventSource or to loading a page). Opening a page with
// `?token=<token>` starts a session and redirects to the same URL without it: the cookie holds a
// random session id known only to this server process, never the token, so other services on
// the same host name never see a credential. Comparisons with STRATA_TOKEN take the same time
// whatever the guess; named tokens are looked up by their sha256. Without a token (loopback
// only) the caller is the local administrator.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Principal } from '../access/index.js';
import { UsageError } from '../errors.js';
import { ApiError } from './api-error.js';

/** Tokens shorter than this are refused: they could be guessed. */
export const MIN_TOKEN_LENGTH = 16;
/** The cookie a browser presents its session in. */
export const SESSION_COOKIE = 'strata_session';
/** The query parameter of a page URL that starts a session (`/?token=...`). */
export const TOKEN_PARAMETER = 'token';
/** A session ends after this long without a request (the page is opened with ?token= again). */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** Sessions kept before idle ones are forgotten (and, past it, the longest idle). */
const MAX_SESSIONS = 10_000;
/** How long a named token's lookup (and a session's check that it is not revoked) is reused. */
const TOKEN_CACHE_MS = 5_000;

/** The administrator: whoever presents the server's STRATA_TOKEN. */
export const ADMIN: Principal = Object.freeze({ name: 'admin', role: 'admin', tokenId: null });
/** Anyone on a loopback server without tokens: an administrator without a name. */
export const LOCAL: Principal = Object.freeze({ name: 'local', role: 'admin', tokenId: null });

const TOKEN_HINT =
  'send the STRATA_TOKEN the server was started with, or a named token (strata tokens create NAME --role ROLE)';

/** Throws when `token` is too weak to protect a server. */
export function checkToken(token: string): void {
  if (token.trim().length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`the token must be at least ${MIN_TOKEN_LENGTH} characters long`, {
      hint: 'generate one with: openssl rand -hex 32',
    });
  }
}

/** The principal a request was authenticated as (set by the middleware of this file). */
export function principalOf(c: Context): Principal {
  return (c.get('principal' as never) as Principal | undefined) ?? LOCAL;
}

function setPrincipal(c: Context, principal: Principal): void {
  c.set('principal' as never, principal as never);
}

/** Marks every request as the local administrator's (loopback servers without tokens). */
export function localAdmin(): MiddlewareHandler {
  return async (c, next) => {
    setPrincipal(c, LOCAL);
    await next();
  };
}

/**
 * The guards of a server started without tokens: `open` while no named token exists, `secured`
 * once one does (looked up at most every few seconds), so creating the first token closes a
 * running server too.
 */
export function whileNoTokens(options: {
  readonly open: MiddlewareHandler;
  readonly secured: MiddlewareHandler;
  anyTokens(): Promise<boolean>;
  readonly now: () => number;
}): MiddlewareHandler {
  let known: { any: boolean; at: number } | undefined;
  return async (c, next) => {
    if (known === undefined || options.now() - known.at >= TOKEN_CACHE_MS)
      known = { any: await options.anyTokens(), at: options.now() };
    return (known.any ? options.secured : options.open)(c, next);
  };
}

/** What the authentication middleware needs. */
export interface AuthOptions {
  /** The server's STRATA_TOKEN (the administrator), if any. */
  readonly adminToken?: string;
  /** The principal a named token stands for, undefined when it is none (or revoked). */
  resolveToken(token: string): Promise<Principal | undefined>;
  /** Whether the named token of this id is still active (not revoked). */
  isTokenActive(tokenId: number): Promise<boolean>;
  /** The clock (tests). */
  readonly now?: () => number;
}

interface Session {
  readonly principal: Principal;
  lastSeen: number;
}

/** The middleware that requires a token (header, or a session started with one). */
export function requireToken(options: AuthOptions): MiddlewareHandler {
  const now = options.now ?? Date.now;
  const adminDigest = options.adminToken === undefined ? undefined : digest(options.adminToken);
  const cache = new Map<string, { principal: Principal | undefined; at: number }>();
  const sessions = new Map<string, Session>();
  const activity = new Map<number, { active: boolean; at: number }>();

  const stillActive = async (principal: Principal): Promise<boolean> => {
    if (principal.tokenId === null) return true;
    const cached = activity.get(principal.tokenId);
    if (cached !== undefined && now() - cached.at < TOKEN_CACHE_MS) return cached.active;
    const active = await options.isTokenActive(principal.tokenId);
    activity.set(principal.tokenId, { active, at: now() });
    return active;
  };

  const resolve = async (token: string): Promise<Principal | undefined> => {
    if (adminDigest !== undefined && timingSafeEqual(digest(token), adminDigest)) return ADMIN;
    const key = digest(token).toString('hex');
    const cached = cache.get(key);
    if (cached !== undefined && now() - cached.at < TOKEN_CACHE_MS) return cached.principal;
    const principal = await options.resolveToken(token);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { principal, at: now() });
    return principal;
  };

  return async (c, next) => {
    const url = new URL(c.req.url);
    const offered = url.searchParams.get(TOKEN_PARAMETER);
    if (offered !== null && c.req.method === 'GET' && !isApiPath(url.pathname)) {
      const principal = await resolve(offered);
      if (principal === undefined)
        throw new ApiError(401, `invalid token in the URL parameter ${TOKEN_PARAMETER}`, {
          field: TOKEN_PARAMETER,
          hint: TOKEN_HINT,
        });
      const id = randomBytes(32).toString('base64url');
      if (sessions.size >= MAX_SESSIONS) forgetIdleSessions(sessions, now());
      sessions.set(sessionKey(id), { principal, lastSeen: now() });
      return startSession(c, url, id);
    }
    const header = c.req.header('Authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (match === null)
        throw new ApiError(
          401,
          'malformed Authorization header: send Authorization: Bearer <token>',
          {
            hint: TOKEN_HINT,
          },
        );
      const principal = await resolve(match[1]!);
      if (principal === undefined)
        throw new ApiError(401, 'invalid or revoked token', { hint: TOKEN_HINT });
      setPrincipal(c, principal);
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie === undefined) {
      throw new ApiError(
        401,
        `authentication required: send Authorization: Bearer <token>, or open a page with ?${TOKEN_PARAMETER}=<token> once to start a session`,
        { hint: `${TOKEN_HINT}; strata serve prints the URL to open` },
      );
    }
    const key = sessionKey(cookie);
    const session = sessions.get(key);
    if (session === undefined || now() - session.lastSeen > SESSION_IDLE_MS) {
      sessions.delete(key);
      throw new ApiError(401, 'the session has ended (expired, or the server restarted)', {
        hint: `open the URL strata serve printed (with ?${TOKEN_PARAMETER}=) to start a new one`,
      });
    }
    // A revoked token ends its sessions too (noticed within a few seconds).
    if (!(await stillActive(session.principal))) {
      sessions.delete(key);
      throw new ApiError(401, 'the token of this session was revoked', { hint: TOKEN_HINT });
    }
    session.lastSeen = now();
    setPrincipal(c, session.principal);
    return next();
  };
}

/** Forgets sessions idle for too long; if none is, the longest idle tenth. */
function forgetIdleSessions(sessions: Map<string, Session>, now: number): void {
  for (const [key, session] of sessions)
    if (now - session.lastSeen > SESSION_IDLE_MS) sessions.delete(key);
  if (sessions.size < MAX_SESSIONS) return;
  const oldest = [...sessions].sort((a, b) => a[1].lastSeen - b[1].lastSeen);
  for (const [key] of oldest.slice(0, Math.ceil(MAX_SESSIONS / 10))) sessions.delete(key);
}

/** Sets the session cookie and answers 303 to `url` without the token parameter. */
function startSession(c: Context, url: URL, id: string): Response {
  setCookie(c, SESSION_COOKIE, id, {
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

/** Sessions are kept by a hash of their id, so a memory dump holds no usable cookie. */
function sessionKey(id: string): string {
  return digest(id).toString('hex');
}

/** Equal-length digests, so timingSafeEqual also hides the token's length. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
