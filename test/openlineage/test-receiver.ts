// A Marquez-like OpenLineage receiver for the tests: a node:http server taking
// `POST /api/v1/lineage`, keeping each event and the Authorization header it came with. It can
// be stopped and started again on the same port (a receiver that is down, then back).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunEvent } from '../../src/openlineage/index.js';

/** A running (or stopped) receiver. */
export interface TestReceiver {
  /** The base URL (events go to its /api/v1/lineage). */
  readonly url: string;
  readonly events: RunEvent[];
  /** The Authorization header of each request. */
  readonly authorizations: (string | undefined)[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a receiver on a free port. */
export async function startReceiver(): Promise<TestReceiver> {
  const events: RunEvent[] = [];
  const authorizations: (string | undefined)[] = [];
  let server: Server | undefined;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const created = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          if (request.method !== 'POST' || request.url !== '/api/v1/lineage') {
            response.writeHead(404).end();
            return;
          }
          events.push(JSON.parse(body) as RunEvent);
          authorizations.push(request.headers.authorization);
          response.writeHead(201).end();
        });
      });
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        port = (created.address() as AddressInfo).port;
        server = created;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (server === undefined) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });
  await start();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    events,
    authorizations,
    start,
    stop,
  };
}
