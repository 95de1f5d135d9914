// GET /api/events: server-sent events while runs progress. On connect: `ready` once
// notifications are listened to (and, with ?run=ID, a `progress` snapshot of that run), then a
// `progress` message {runId, status, counts, total, trigger} whenever a run changes, and a comment every
// 15 s to keep proxies from closing the connection. Disconnecting unsubscribes.
import { z } from 'zod';
import { ApiError } from '../api-error.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import type { RunProgressMessage } from '../run-events-hub.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import { RunProgressMessage as RunProgressSchema } from '../schemas/run-schemas.js';
import { integerParam } from '../validation.js';

/** A comment line this often keeps idle connections open through proxies. */
const KEEPALIVE_MS = 15_000;
/** A client that lets this many messages pile up unread is disconnected. */
const MAX_QUEUED_MESSAGES = 1_000;

const streamEvents = defineRoute({
  method: 'get',
  path: '/api/events',
  operationId: 'streamEvents',
  tag: 'events',
  summary: 'Live run progress as server-sent events',
  description:
    'Events: `ready` (data {run}), then `progress` (data: a RunProgress document) whenever a ' +
    'run (or the run given by ?run=ID) changes. With ?run, a snapshot of that run comes right ' +
    'after `ready`. New events of a run are read from /api/runs/{id}/events.',
  query: z.strictObject({
    run: integerParam(1, Number.MAX_SAFE_INTEGER).optional().meta({
      description: 'only this run',
    }),
  }),
  responses: [
    {
      status: 200,
      description: 'an event stream of RunProgress messages',
      contentType: 'text/event-stream',
      schema: RunProgressSchema,
    },
    { status: 404, description: 'unknown run', schema: ErrorResponse },
  ],
  async handle({ query, c, server }) {
    const { hub } = server;
    const runId = query.run;
    const encoder = new TextEncoder();
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    const buffered: string[] = [];
    let closed = false;
    const held: { keepalive?: NodeJS.Timeout; unsubscribe?: () => void } = {};
    const cleanup = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(held.keepalive);
      held.unsubscribe?.();
    };
    const send = (text: string): void => {
      if (closed) return;
      if (controller === undefined) {
        buffered.push(text);
        return;
      }
      if ((controller.desiredSize ?? 0) < -MAX_QUEUED_MESSAGES) {
        cleanup();
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(text));
    };
    const sendProgress = (message: RunProgressMessage): void =>
      send(`event: progress\ndata: ${JSON.stringify(message)}\n\n`);
    // `ready` comes first: progress published while the snapshot is read waits for it, then
    // follows the snapshot (the last message a client reads is still the newest).
    let readySent = false;
    const early: RunProgressMessage[] = [];
    const progress = (message: RunProgressMessage): void => {
      if (readySent) sendProgress(message);
      else early.push(message);
    };

    held.unsubscribe = await hub.subscribe(runId, progress);
    try {
      if (runId !== undefined) {
        const snapshot = await hub.snapshot(runId);
        if (snapshot === undefined)
          throw new ApiError(404, `run ${runId} does not exist`, { field: 'run' });
        send(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ run: runId })}\n\n`);
        sendProgress(snapshot);
      } else {
        send(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ run: null })}\n\n`);
      }
      readySent = true;
      for (const message of early.splice(0)) sendProgress(message);
    } catch (caught) {
      cleanup();
      throw caught;
    }
    held.keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
    held.keepalive.unref();
    // Disconnects arrive as cancel() of the body (node-server cancels it when the socket
    // closes); the request's own signal is not used, as Node may abort it once the request
    // has been read.

    const body = new ReadableStream<Uint8Array>({
      start(streamController) {
        controller = streamController;
        for (const text of buffered.splice(0)) controller.enqueue(encoder.encode(text));
      },
      cancel: cleanup,
    });
    return c.body(body, 200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
  },
});

/** The event-stream routes. */
export const eventRoutes: readonly ApiRoute[] = [streamEvents];
