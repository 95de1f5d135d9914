// Helpers of the API tests: a small asset graph (geometry -> sim/mesh[coarse|fine] -> summary,
// plus a slow asset released on demand), an in-process app on the test database, request
// helpers and a reader of server-sent events.
import { z } from 'zod';
import { expect } from 'vitest';
import { allPartitions, asset, staticPartitions } from '../../src/definitions/index.js';
import type { ArtifactStore } from '../../src/artifacts/index.js';
import type { AssetGraph } from '../../src/graph/index.js';
import { ErrorResponse } from '../../src/server/schemas/common-schemas.js';
import { RunProgressMessage } from '../../src/server/schemas/run-schemas.js';
import { createApp, type AppOptions, type StrataApp } from '../../src/server/index.js';
import type { TestDatabase } from '../support/database.js';
import { graphOf, testEngine } from '../support/engine.js';
import { untilAborted } from '../executor/helpers.js';

/** A promise the slow asset waits for; resolved by `releaseSlow()`. */
let releaseSlowAsset: (() => void) | undefined;
let slowReleased = false;

/** Lets every current and future computation of `slow` finish. */
export function releaseSlow(): void {
  slowReleased = true;
  releaseSlowAsset?.();
}

/** The test assets; `summaryCode` changes the code version of `summary` (to make it stale). */
export function testGraph(summaryCode = 's1'): AssetGraph {
  const geometry = asset({
    key: 'geometry',
    description: 'The bracket geometry',
    owners: ['team:cad'],
    tags: { stage: 'cad' },
    codeVersion: 'g1',
    schema: z.object({ height: z.number() }),
    compute: (ctx) => {
      ctx.metadata({ height: 2 });
      return { height: 2 };
    },
  });
  const mesh = asset({
    key: 'sim/mesh',
    deps: { geometry },
    codeVersion: 'm1',
    group: 'sim',
    partitions: staticPartitions(['coarse', 'fine']),
    retry: { maxAttempts: 2, delay: '1s' },
    schema: z.object({ cells: z.number(), file: z.unknown() }),
    compute: async (ctx) => {
      const cells = ctx.inputs.geometry.height * (ctx.partitionKey === 'fine' ? 1000 : 10);
      ctx.metadata({ cells });
      ctx.log.info(`meshed ${cells} cells`);
      const file = await ctx.artifacts.put('mesh.txt', `cells ${cells}\n`);
      return { cells, file };
    },
  });
  const summary = asset({
    key: 'summary',
    deps: { meshes: allPartitions(mesh) },
    codeVersion: summaryCode,
    schema: z.object({ total: z.number() }),
    compute: ({ inputs }) => ({
      total: Object.values(inputs.meshes).reduce((sum, m) => sum + m.cells, 0),
    }),
  });
  const slow = asset({
    key: 'slow',
    codeVersion: '1',
    schema: z.number(),
    compute: async ({ signal }) => {
      if (!slowReleased) {
        await Promise.race([
          untilAborted(signal),
          new Promise<void>((resolve) => (releaseSlowAsset = resolve)),
        ]);
      }
      return 1;
    },
  });
  return graphOf([geometry, mesh, summary, slow]);
}

/** Creates an app on the test database with quiet logs and a 2-step worker pool. */
export function testApp(
  database: TestDatabase,
  graph: AssetGraph,
  artifacts: ArtifactStore,
  options: Partial<AppOptions> = {},
): StrataApp {
  return createApp(testEngine(database, graph, { artifacts }), {
    launch: { concurrency: 2 },
    ...options,
  });
}

/** A response with its JSON body parsed (not yet validated). */
export interface JsonResult {
  readonly status: number;
  readonly body: unknown;
  readonly response: Response;
}

/** Checks `result` has `status` and parses its body with `schema` (the documented one). */
export function bodyOf<S extends z.ZodType>(
  result: JsonResult,
  schema: S,
  status = 200,
): z.output<S> {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  return schema.parse(result.body);
}

/** GETs `path` and returns the status and parsed JSON body. */
export async function getJson(
  app: StrataApp,
  path: string,
  headers: Record<string, string> = {},
): Promise<JsonResult> {
  const response = await app.request(path, { headers });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), response };
}

/** POSTs a JSON body to `path` (same-origin unless headers say otherwise). */
export async function postJson(
  app: StrataApp,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResult> {
  const response = await app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), response };
}

/** Asserts a JSON error with `status`, optionally naming `field`; returns the error. */
export function expectError(result: JsonResult, status: number, field?: string) {
  const { error } = bodyOf(result, ErrorResponse, status);
  expect(error.status).toBe(status);
  if (field !== undefined) expect(error.field).toBe(field);
  return error;
}

/** One server-sent event. */
export interface SseMessage {
  readonly event: string;
  readonly data: unknown;
}

/** Reads server-sent events from a response body. */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';

  constructor(response: Response) {
    this.#reader = response.body!.getReader();
  }

  /** The next event (comments skipped). */
  async next(): Promise<SseMessage> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const lines = block.split('\n').filter((line) => !line.startsWith(':'));
        const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
        const data = lines
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (event !== undefined) return { event, data: JSON.parse(data) };
        continue;
      }
      const { done, value } = await this.#reader.read();
      if (done) throw new Error('the event stream ended');
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /** Reads events until `predicate` holds for one, and returns it. */
  async until(predicate: (message: SseMessage) => boolean): Promise<SseMessage> {
    for (;;) {
      const message = await this.next();
      if (predicate(message)) return message;
    }
  }

  /** Disconnects. */
  async close(): Promise<void> {
    await this.#reader.cancel();
  }
}

/** Opens the event stream of run `runId` (or of every run) and checks it is ready. */
export async function openEvents(
  app: StrataApp,
  runId?: number,
  headers: Record<string, string> = {},
): Promise<SseReader> {
  const response = await app.request(
    runId === undefined ? '/api/events' : `/api/events?run=${runId}`,
    { headers },
  );
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
  const reader = new SseReader(response);
  const ready = await reader.next();
  expect(ready.event).toBe('ready');
  return reader;
}

/** Waits on the event stream until run `runId` is no longer running; returns its last progress. */
export async function awaitRun(
  app: StrataApp,
  runId: number,
  headers: Record<string, string> = {},
): Promise<z.output<typeof RunProgressMessage>> {
  const events = await openEvents(app, runId, headers);
  try {
    const done = await events.until(
      (m) => m.event === 'progress' && RunProgressMessage.parse(m.data).status !== 'running',
    );
    return RunProgressMessage.parse(done.data);
  } finally {
    await events.close();
  }
}
