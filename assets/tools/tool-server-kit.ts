// What every tool server of the example shares: idempotent tools (a call with an idempotency key
// already answered returns the stored answer and does no work, even when two server processes
// share the answers: ./once-per-key.ts), the artifact store opened from its configuration as the
// workers open theirs (./tool-state.ts), one line on stderr per call saying whether it worked or
// answered from what was stored (a worker passes its servers' stderr through), and two ways to
// run (./kit-options.ts):
// - over stdio (the default), started by a worker, with a lifetime tied to the worker's: the
//   server exits cleanly when its stdin closes (the worker closed it, or is gone) once its work
//   in flight is stored, and a closed stdout (EPIPE) ends it the same way instead of crashing it;
// - over Streamable HTTP (`--http [--host H] [--port N] [--token-env VAR]`), a service that, on
//   SIGTERM or SIGINT, stops once its work in flight is stored.
import type { Server } from 'node:http';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { UsageError } from 'strata';
import type { z } from 'zod';
import { AnswerBook } from './answer-book.js';
import { allStored } from './artifact-ref.js';
import { httpToolServer, listen } from './http-serving.js';
import { idempotentServer, type Answered } from './idempotent-tools.js';
import { KeyLocks } from './key-lock.js';
import { kitOptions } from './kit-options.js';
import { OncePerKey } from './once-per-key.js';
import { openToolState } from './tool-state.js';
import type { ToolSpec } from './tool-spec.js';

export { tool, type ToolSpec } from './tool-spec.js';

/**
 * Starts the tool server `name` with idempotent `tools`, over stdio or HTTP as its command line
 * (`argv`) and environment say.
 */
export async function serveTools(
  name: string,
  version: string,
  tools: readonly ToolSpec<z.ZodRawShape, z.ZodRawShape>[],
  argv: readonly string[] = process.argv.slice(2),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  let options: ReturnType<typeof kitOptions>;
  try {
    options = kitOptions(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  }
  const { artifacts, stateRoot } = await openToolState(options, env);
  const answers = new AnswerBook(stateRoot, name, (answer) => allStored(artifacts, answer));
  const once = new OncePerKey(answers, new KeyLocks(answers.dir));
  const onAnswered = (answered: Answered): void => {
    process.stderr.write(`${accessLine(name, answered)}\n`);
  };
  const shared = { name, version, tools, artifacts, once, onAnswered };
  if (options.http === undefined) {
    endWithTheWorker(once);
    await idempotentServer(shared).connect(new StdioServerTransport());
    return;
  }
  const http = httpToolServer(() => idempotentServer(shared), options.http, name);
  endOnSignal(http, once); // before it listens: a signal as soon as it answers ends it cleanly
  await listen(http, options.http);
}

/** `solver: solve <key> worked 12 ms` (or `answered`, when the answer was stored before). */
export function accessLine(name: string, answered: Answered): string {
  return `${name}: ${answered.tool} ${answered.key ?? '-'} ${answered.worked ? 'worked' : 'answered'} ${answered.ms} ms`;
}

/**
 * Exits (0) when stdin closes or stdout breaks: the worker closed this server, or is gone. Work in
 * flight finishes first, so its answer is stored for the step's next attempt; SIGTERM and SIGINT
 * exit at once (key locks are removed on the way out).
 */
function endWithTheWorker(once: OncePerKey): void {
  let ending = false;
  const end = (): void => {
    if (ending) return;
    ending = true;
    void once.settled().then(() => process.exit(0));
  };
  process.stdin.once('end', end);
  process.stdin.once('close', end);
  process.stdout.on('error', end); // EPIPE: nobody reads the answers any more
  process.once('SIGTERM', () => process.exit(143));
  process.once('SIGINT', () => process.exit(130));
}

/** An HTTP server stops taking requests on SIGTERM or SIGINT and exits once its work is stored. */
function endOnSignal(http: Server, once: OncePerKey): void {
  const end = (): void => {
    http.close();
    http.closeAllConnections();
    void once.settled().then(() => process.exit(0));
  };
  process.once('SIGTERM', end);
  process.once('SIGINT', end);
}
