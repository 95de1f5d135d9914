// createApp: the hono app of `strata serve` with its guards (host check or bearer token,
// same-origin JSON writes, body limit), the /api routes, the OpenAPI document, JSON errors, and
// optionally the built UI. Testable in process with `app.request()`.
import type { Hono as HonoType } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AutomationDaemon, type ActedTick } from '../automation/index.js';
import type { AssetKey } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { ApiError } from './api-error.js';
import { every } from 'hono/combine';
import { checkToken, localAdmin, requireToken, whileNoTokens } from './auth.js';
import { mcpRoute } from './mcp-route.js';
import {
  hasActiveApiTokens,
  isApiTokenActive,
  resolveApiToken,
  type Principal,
} from '../access/index.js';
import { errorResponse, stderrLogger, type ErrorLogger } from './error-response.js';
import { hostCheck, LOOPBACK_HOSTS, sameOriginWrites } from './request-guards.js';
import type { ApiRoute } from './route-spec.js';
import { planRunRoutes } from './routes/plan-runs.js';
import { planRoutes } from './routes/plans.js';
import { automationRoutes } from './routes/automation.js';
import { artifactRoutes } from './routes/artifacts.js';
import { assetRoutes } from './routes/assets.js';
import { assetStatusRoutes } from './routes/asset-statuses.js';
import { graphRoutes } from './routes/graph.js';
import { eventRoutes } from './routes/events.js';
import { lineageRoutes } from './routes/lineage.js';
import { materializationRoutes } from './routes/materializations.js';
import { openApiRoute } from './routes/meta.js';
import { runRoutes } from './routes/runs.js';
import { backfillRoutes } from './routes/backfills.js';
import { searchRoutes } from './routes/search.js';
import { selectionRoutes } from './routes/selection.js';
import { sessionRoutes } from './routes/session.js';
import { RunEventsHub } from './run-events-hub.js';
import { BackfillDrivers } from './backfill-drivers.js';
import { RunLauncher, type Engine, type LaunchOptions } from '../executor/index.js';
import type { ServerContext } from './server-context.js';
import { staticFiles } from './static-files.js';
import { StatusSnapshots } from './views/status-snapshot.js';

/** Request bodies larger than this are refused (413). */
const MAX_BODY_BYTES = 1024 * 1024;

/** How the app serves its engine; every field is optional. */
export interface AppOptions {
  /**
   * The administrator's token (STRATA_TOKEN, at least 16 characters): when set, every request
   * must carry a token (this one, or a named one).
   */
  readonly token?: string;
  /**
   * Require a token even without STRATA_TOKEN: the named tokens of the database (`strata tokens
   * create`). startServer turns it on when any named token is active.
   */
  readonly requireTokens?: boolean;
  /** How launched runs execute in this process; false for a read-only server. Default: {}. */
  readonly launch?: LaunchOptions | false;
  /**
   * Answers MCP requests at `/mcp` (Streamable HTTP) for callers whose token may propose plans
   * (planner, approver, admin); `strata serve` passes strata's MCP server (src/mcp).
   */
  readonly mcp?: (request: Request, principal: Principal, origin: string) => Promise<Response>;
  /** A directory of static files (the built UI) served outside /api. */
  readonly staticRoot?: string;
  /**
   * Host names served without a token (DNS-rebinding protection). Default: localhost,
   * 127.0.0.1 and ::1. Ignored with a token.
   */
  readonly allowedHosts?: readonly string[];
  /** Origins accepted for POST besides the server's own (e.g. behind a TLS proxy). */
  readonly trustedOrigins?: readonly string[];
  /** Receives unexpected errors (default: stderr). */
  readonly logError?: ErrorLogger;
  /** The clock (tests). */
  readonly now?: () => Date;
  /**
   * Runs the automation daemon with the server's worker pool (when any asset declares an
   * automation policy and launching is enabled). Default: off; `strata serve` turns it on.
   */
  readonly automation?: {
    readonly intervalMs?: number;
    readonly onTick?: (tick: ActedTick) => void;
  };
}

/** The app: a hono app, plus what its owner needs to shut it down. */
export type StrataApp = HonoType & {
  /** Every API route, as declared (what the OpenAPI document lists). */
  readonly apiRoutes: readonly ApiRoute[];
  /** Event-stream clients connected now. */
  readonly liveClients: number;
  /** The automation daemon, when the server runs one. */
  readonly automation: AutomationDaemon | undefined;
  /**
   * Drives every backfill left running (by an earlier server, a stopped `strata backfill`),
   * unless the server is read-only; returns their ids. `strata serve` calls it once started.
   */
  resumeBackfills(): Promise<readonly number[]>;
  /** Stops the worker pool (running steps finish) and closes the event streams' connection. */
  close(): Promise<void>;
};

/** Creates the app of `strata serve` on `engine`. */
export function createApp(engine: Engine, options: AppOptions = {}): StrataApp {
  const logError = options.logError ?? stderrLogger;
  if (options.token !== undefined) checkToken(options.token);
  const launcher = new RunLauncher(engine, options.launch ?? {});
  const { db, pool } = engine.database;
  const hub = new RunEventsHub(db, pool, (error) =>
    logError(error, { method: 'LISTEN', path: '/api/events' }),
  );
  const server: ServerContext = {
    db,
    graph: engine.graph,
    artifacts: engine.artifacts,
    launcher,
    hub,
    statuses: new StatusSnapshots(db, engine.graph),
    backfills: new BackfillDrivers(engine, launcher, (error) =>
      logError(error, { method: 'DRIVE', path: '/api/backfills' }),
    ),
    now: options.now ?? (() => new Date()),
  };
  const routes: ApiRoute[] = [
    ...assetRoutes,
    ...graphRoutes,
    ...assetStatusRoutes,
    ...selectionRoutes,
    ...searchRoutes,
    ...materializationRoutes,
    ...lineageRoutes,
    ...runRoutes,
    ...backfillRoutes,
    ...artifactRoutes,
    ...eventRoutes,
    ...automationRoutes,
    ...planRoutes,
    ...planRunRoutes,
    ...sessionRoutes,
  ];
  routes.push(openApiRoute(routes));

  const app = new Hono();
  app.onError((error, c) => errorResponse(c, error, logError));
  app.notFound((c) =>
    errorResponse(c, notFoundError(c.req.method, c.req.path, engine.graph), logError),
  );
  app.use(async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    if (!c.res.headers.has('Content-Security-Policy')) c.header('X-Frame-Options', 'DENY');
  });
  const tokenAuth = requireToken({
    ...(options.token === undefined ? {} : { adminToken: options.token }),
    resolveToken: (token) => resolveApiToken(db, token),
    isTokenActive: (tokenId) => isApiTokenActive(db, tokenId),
    now: () => server.now().getTime(),
  });
  if (options.token !== undefined || options.requireTokens) app.use(tokenAuth);
  else
    // Open on loopback until a named token is created, then closed (within seconds), without
    // a restart: `strata tokens create` says the server requires tokens from then on.
    app.use(
      whileNoTokens({
        open: every(hostCheck(options.allowedHosts ?? LOOPBACK_HOSTS), localAdmin()),
        secured: tokenAuth,
        anyTokens: () => hasActiveApiTokens(db),
        now: () => server.now().getTime(),
      }),
    );
  app.use(sameOriginWrites(options.trustedOrigins));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  for (const route of routes) route.register(app, server);
  if (options.mcp !== undefined) app.all('/mcp', mcpRoute(options.mcp));
  if (options.staticRoot !== undefined) app.use(staticFiles(options.staticRoot));

  const daemon = automationDaemon(engine, options, launcher);
  daemon?.start();

  const extended = Object.assign(app, {
    apiRoutes: routes,
    automation: daemon,
    resumeBackfills: async () => (launcher.enabled ? server.backfills.driveRunning() : []),
    async close() {
      await daemon?.stop();
      await server.backfills.close();
      await hub.close();
      await launcher.close();
    },
  });
  // A getter (Object.assign would copy its value once).
  Object.defineProperty(extended, 'liveClients', { get: () => hub.size, enumerable: true });
  return extended as typeof extended & { readonly liveClients: number };
}

/** The automation daemon of the server, if it should run one. */
function automationDaemon(
  engine: Engine,
  options: AppOptions,
  launcher: RunLauncher,
): AutomationDaemon | undefined {
  const { graph } = engine;
  const { automation } = options;
  if (automation === undefined || !launcher.enabled) return undefined;
  const acts = (key: AssetKey): boolean => {
    const { automation, observation } = graph.node(key).definition;
    return automation !== undefined || observation !== undefined;
  };
  if (!graph.order.some(acts)) return undefined;
  return new AutomationDaemon(engine, {
    launcher,
    ...(automation.intervalMs === undefined ? {} : { intervalMs: automation.intervalMs }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(automation.onTick === undefined ? {} : { onTick: automation.onTick }),
  });
}

/** The 404 of an unknown path, pointing at URL-encoding for asset keys with '/'. */
function notFoundError(method: string, path: string, graph: AssetGraph): ApiError {
  const match = /^\/api\/assets\/(.+?)(\/partitions|\/materializations)?$/.exec(path);
  if (match !== null) {
    let key = match[1]!;
    try {
      key = decodeURIComponent(key);
    } catch {
      // keep it as it came
    }
    if (key.includes('/')) {
      const encoded = `/api/assets/${encodeURIComponent(key)}${match[2] ?? ''}`;
      return new ApiError(404, `no route ${method} ${path}`, {
        hint: graph.has(key)
          ? `asset keys are URL-encoded as one segment: ${encoded}`
          : "asset keys are URL-encoded as one segment ('/' as %2F)",
      });
    }
  }
  return new ApiError(404, `no route ${method} ${path}`, {
    hint: path.startsWith('/api/') ? 'GET /api/openapi.json lists the routes' : undefined,
  });
}
