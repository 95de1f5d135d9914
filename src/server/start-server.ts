// startServer: serves the app with @hono/node-server. Loopback addresses are served without a
// token; binding any other address requires one, so the API never reaches a network open.
import type { Server as HttpServer } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { hasActiveApiTokens } from '../access/index.js';
import { UsageError } from '../errors.js';
import type { Engine } from '../executor/index.js';
import { createApp, type AppOptions, type StrataApp } from './create-app.js';
import { LOOPBACK_HOSTS } from './request-guards.js';

/** The default port of `strata serve`. */
export const DEFAULT_PORT = 4000;
/** The default address: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

/** What startServer needs: the app's options and where to listen. */
export interface ServerOptions extends AppOptions {
  /** 0 picks a free port. Default 4000. */
  readonly port?: number;
  /** Default 127.0.0.1. Any non-loopback address requires `token`. */
  readonly host?: string;
}

/** A listening server. */
export interface RunningServer {
  readonly app: StrataApp;
  readonly host: string;
  readonly port: number;
  /** The base URL, e.g. http://127.0.0.1:4000. */
  readonly url: string;
  /** Stops accepting connections, ends open ones, stops the worker pool. */
  close(): Promise<void>;
}

/** How long requests in flight get to finish when the server stops. */
const CLOSE_GRACE_MS = 1_000;

/** True for names and addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/** Starts the API server of `engine`; refuses a non-loopback host without a token. */
export async function startServer(
  engine: Engine,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`port must be an integer from 0 to 65535, got ${port}`);
  // Named tokens in the database require a token from every caller, on any address.
  const requireTokens = options.requireTokens ?? (await hasActiveApiTokens(engine.database.db));
  if (
    !isLoopbackHost(host) &&
    !requireTokens &&
    (options.token === undefined || options.token === '')
  ) {
    throw new UsageError(
      `refusing to serve on ${host} without a token: anyone who can reach it could read provenance and launch runs`,
      {
        hint: 'set STRATA_TOKEN (e.g. export STRATA_TOKEN=$(openssl rand -hex 32)) or create named tokens (strata tokens create NAME --role ROLE), or keep the default --host 127.0.0.1',
      },
    );
  }
  const allowedHosts =
    options.allowedHosts ??
    (isLoopbackHost(host) ? [...LOOPBACK_HOSTS, host.toLowerCase()] : undefined);
  const app = createApp(engine, {
    ...options,
    requireTokens,
    ...(allowedHosts === undefined ? {} : { allowedHosts }),
  });
  let server: ServerType;
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server = serve({ fetch: app.fetch, hostname: host, port }, resolve);
    server.once('error', reject);
  }).catch(async (error: unknown) => {
    await app.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(`port ${port} on ${host} is already in use`, {
        hint: 'choose another with --port',
      });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new UsageError(`cannot listen on ${host}: no such local address`);
    throw error;
  });
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    app,
    host: address.address,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    close() {
      closing ??= (async () => {
        // No new connections; idle kept-alive ones end now, requests in flight are answered, and
        // what is still open after a moment (event streams, which browsers reopen) is ended.
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const http = server as Partial<
          Pick<HttpServer, 'closeIdleConnections' | 'closeAllConnections'>
        >;
        http.closeIdleConnections?.();
        const grace = setTimeout(() => http.closeAllConnections?.(), CLOSE_GRACE_MS);
        await stopped;
        clearTimeout(grace);
        await app.close();
      })();
      return closing;
    },
  };
}
