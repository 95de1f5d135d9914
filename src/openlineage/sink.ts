// Where OpenLineage events go: one interface for the HTTP endpoint, the JSON-lines file and an
// export's output stream. A sink takes events one at a time, in order, and throws a
// SinkDeliveryError when it cannot take one (the ones before it were delivered).
import type { RunEvent } from './types.js';

/** A destination of OpenLineage events. */
export interface LineageSink {
  /**
   * Names the sink in the cursor table and in messages: the receiver's URL (no credentials, no query) or `file://<host><path>`. Never
   * holds a credential.
   */
  readonly id: string;
  /** Delivers one event; resolves once the sink has it. */
  send(event: RunEvent): Promise<void>;
}
