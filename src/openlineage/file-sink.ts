// The JSON-lines transport: appends each event as one line to a file (created if missing).
// Also the writer of `strata lineage export --openlineage` to a file or stdout. A file is a
// sink per machine (`file://<host>/<path>`): each machine configured with one gets every event
// from then on in its own file, rather than sharing one cursor across files on many disks.
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { SinkDeliveryError } from './sink-error.js';
import type { LineageSink } from './sink.js';
import type { RunEvent } from './types.js';

/** A sink appending to the JSON-lines file `file` on machine `host` (its identity). */
export class JsonLinesFileSink implements LineageSink {
  readonly id: string;
  readonly #file: string;

  constructor(file: string, host: string) {
    this.#file = path.resolve(file);
    this.id = `file://${host}${this.#file}`;
  }

  async send(event: RunEvent): Promise<void> {
    try {
      await appendFile(this.#file, `${JSON.stringify(event)}\n`);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new SinkDeliveryError(this.id, `cannot append (${String(code ?? error)})`, error);
    }
  }
}

/** A sink writing JSON lines through `write` (stdout of an export); not a cursor's sink. */
export function streamSink(write: (line: string) => void): LineageSink {
  return {
    id: 'stdout',
    send: (event) => {
      write(`${JSON.stringify(event)}\n`);
      return Promise.resolve();
    },
  };
}
