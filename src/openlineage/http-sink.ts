// The HTTP transport: POSTs each event as JSON to a Marquez-compatible endpoint
// (`POST /api/v1/lineage`), with `Authorization: Bearer <key>` when an API key is set. The key
// lives only in the request header: the sink's id, its errors and its messages name the URL
// alone (without user info or query string).
import { SinkDeliveryError } from './sink-error.js';
import type { LineageSink } from './sink.js';
import type { RunEvent } from './types.js';

/** How long one POST may take before it counts as failed. */
export const HTTP_TIMEOUT_MS = 10_000;

/** The URL as a sink id shows it: no user info, no query string, no fragment. */
export function displayUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  shown.search = '';
  shown.hash = '';
  return shown.href;
}

/** A sink POSTing to `url`. */
export class HttpSink implements LineageSink {
  readonly id: string;
  readonly #url: URL;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;

  constructor(url: URL, apiKey: string | undefined, timeoutMs = HTTP_TIMEOUT_MS) {
    this.#url = url;
    this.#apiKey = apiKey;
    this.#timeoutMs = timeoutMs;
    this.id = displayUrl(url);
  }

  async send(event: RunEvent): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.#apiKey !== undefined) headers.authorization = `Bearer ${this.#apiKey}`;
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers,
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.#timeoutMs),
        // The key is for this receiver only; a redirect is reported, not followed.
        redirect: 'manual',
      });
    } catch (error) {
      // The cause is fetch's error about the connection, which names no header.
      throw new SinkDeliveryError(this.id, `unreachable (${reasonOf(error)})`);
    }
    await response.body?.cancel();
    if (response.status >= 300 && response.status < 400)
      throw new SinkDeliveryError(
        this.id,
        `answered HTTP ${response.status}, a redirect (give the final URL; redirects are not followed)`,
      );
    if (!response.ok) throw new SinkDeliveryError(this.id, `answered HTTP ${response.status}`);
  }
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : error.message;
}
