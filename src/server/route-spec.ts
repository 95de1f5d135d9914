// A route declared once: its path, zod schemas for path, query and body, documented responses
// and its handler. The same declaration registers the hono handler (with validation) and
// produces the OpenAPI operation, so the document cannot miss a route. Each route names the
// capability its caller's role must have (src/access/roles.ts).
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { roleAllows, rolesAllowing, type Capability, type Principal } from '../access/index.js';
import { ApiError } from './api-error.js';
import { principalOf } from './auth.js';
import type { ServerContext } from './server-context.js';
import { parseInput } from './validation.js';

const EMPTY = z.strictObject({});
type Empty = typeof EMPTY;

/** A documented response of a route. */
export interface ResponseDoc {
  readonly status: number;
  readonly description: string;
  /** The JSON body (registered schemas become $refs); omit for no or non-JSON bodies. */
  readonly schema?: z.ZodType;
  /** The media type when not JSON (e.g. text/event-stream). */
  readonly contentType?: string;
}

/** What a handler receives: validated inputs, the hono context and the server's resources. */
export interface RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  readonly params: z.output<P>;
  readonly query: z.output<Q>;
  readonly body: z.output<B>;
  readonly c: Context;
  readonly server: ServerContext;
}

/** The declaration of a route. */
export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  readonly method: 'get' | 'post';
  /** OpenAPI-style path: `/api/assets/{key}`. */
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** Path parameters (a z.object of strings). */
  readonly params?: P;
  /** Query parameters (a z.strictObject: unknown parameters are refused). */
  readonly query?: Q;
  /** The JSON request body (POST). */
  readonly body?: B;
  readonly responses: readonly ResponseDoc[];
  /** What the caller's role must allow (default: `read` for GET, `run` for POST). */
  readonly capability?: Capability;
  handle(input: RouteInput<P, Q, B>): Response | Promise<Response>;
}

/** A declared route with its types erased: what the app and the OpenAPI builder use. */
export interface ApiRoute {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description: string | undefined;
  readonly params: z.ZodType | undefined;
  readonly query: z.ZodType | undefined;
  readonly body: z.ZodType | undefined;
  readonly responses: readonly ResponseDoc[];
  /** What the caller's role must allow. */
  readonly capability: Capability;
  /** Adds the validated handler to `app`. */
  register(app: Hono, server: ServerContext): void;
}

/** Declares a route. */
export function defineRoute<
  P extends z.ZodType = Empty,
  Q extends z.ZodType = Empty,
  B extends z.ZodType = Empty,
>(spec: RouteSpec<P, Q, B>): ApiRoute {
  const honoPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  const capability = spec.capability ?? (spec.method === 'get' ? 'read' : 'run');
  return {
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    tag: spec.tag,
    summary: spec.summary,
    description: spec.description,
    params: spec.params,
    query: spec.query,
    body: spec.body,
    responses: spec.responses,
    capability,
    register(app, server) {
      app.on(spec.method.toUpperCase(), honoPath, async (c) => {
        checkCapability(principalOf(c), capability);
        const params = parseInput(spec.params ?? EMPTY, c.req.param(), 'path parameter');
        const query = parseInput(spec.query ?? EMPTY, c.req.query(), 'query parameter');
        const body =
          spec.method === 'post'
            ? parseInput(spec.body ?? EMPTY, await readJsonBody(c), 'body')
            : undefined;
        return spec.handle({
          params: params as z.output<P>,
          query: query as z.output<Q>,
          body: body as z.output<B>,
          c,
          server,
        });
      });
    },
  };
}

/** Refuses a caller whose role does not allow `capability` (403, naming the roles that do). */
function checkCapability(principal: Principal, capability: Capability): void {
  if (roleAllows(principal.role, capability)) return;
  throw new ApiError(
    403,
    `token ${JSON.stringify(principal.name)} (role ${principal.role}) may not ${CAPABILITY_TEXT[capability]}`,
    { hint: `that needs the role ${rolesAllowing(capability).join(', ')}` },
  );
}

/** What each capability lets a caller do, in words. */
const CAPABILITY_TEXT: Record<Capability, string> = {
  read: 'read',
  run: 'launch, cancel or resume runs',
  propose: 'propose plans',
  approve: 'approve plans',
  manage_tokens: 'manage tokens',
};

/** The parsed JSON body; an empty body reads as `{}`. */
async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, `request body is not valid JSON: ${(error as Error).message}`, {
      field: 'body',
    });
  }
}
