// A route declared once: its path, zod schemas for path, query and body, documented responses
// and its handler. The same declaration registers the hono handler (with validation) and
// produces the OpenAPI operation, so the document cannot miss a route.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from './api-error.js';
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
    register(app, server) {
      app.on(spec.method.toUpperCase(), honoPath, async (c) => {
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
