// What every tool server of the example shares: an MCP server over stdio whose tools are
// idempotent (a call with an idempotency key already answered returns the stored answer and does
// no work, even when two server processes share the store: ./once-per-key.ts), the artifact store
// the worker gave it ($STRATA_ARTIFACTS), and a lifetime tied to the worker's: the server exits
// cleanly when its stdin closes (the worker closed it, or is gone) once its work in flight is
// stored, and a closed stdout (EPIPE) ends it the same way instead of crashing it.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { IDEMPOTENCY_META_KEY, LocalArtifactStore, TOOL_ARTIFACTS_ENV } from 'strata';
import type { z } from 'zod';
import { AnswerBook } from './answer-book.js';
import { KeyLocks } from './key-lock.js';
import { OncePerKey } from './once-per-key.js';

/** One tool: its input and output shapes and the work it does. */
export interface ToolSpec<In extends z.ZodRawShape, Out extends z.ZodRawShape> {
  readonly name: string;
  readonly description: string;
  readonly input: In;
  readonly output: Out;
  readonly run: (
    args: z.infer<z.ZodObject<In>>,
    artifacts: LocalArtifactStore,
  ) => Promise<z.infer<z.ZodObject<Out>>>;
}

/** Declares a tool, keeping its argument and result types (an identity function for inference). */
export function tool<In extends z.ZodRawShape, Out extends z.ZodRawShape>(
  spec: ToolSpec<In, Out>,
): ToolSpec<z.ZodRawShape, z.ZodRawShape> {
  return spec as unknown as ToolSpec<z.ZodRawShape, z.ZodRawShape>;
}

/** The artifact store of the worker that started this server. */
export function workerArtifacts(): LocalArtifactStore {
  const root = process.env[TOOL_ARTIFACTS_ENV];
  if (!root)
    throw new Error(`${TOOL_ARTIFACTS_ENV} is not set: tool servers are started by strata workers`);
  return new LocalArtifactStore(root);
}

/** Starts an MCP server named `name` over stdio with idempotent `tools`. */
export async function serveTools(
  name: string,
  version: string,
  tools: readonly ToolSpec<z.ZodRawShape, z.ZodRawShape>[],
): Promise<void> {
  const artifacts = workerArtifacts();
  const answers = new AnswerBook(artifacts.root, name);
  const once = new OncePerKey(answers, new KeyLocks(answers.dir));
  // Logging: a call waiting for the same key elsewhere says so (notifications/message).
  const server = new McpServer({ name, version }, { capabilities: { logging: {} } });
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: tool.input, outputSchema: tool.output },
      async (args, extra) => {
        const key = extra._meta?.[IDEMPOTENCY_META_KEY];
        const work = () => tool.run(args as never, artifacts);
        const onWait = (why: string): void => {
          extra
            .sendNotification({
              method: 'notifications/message',
              params: { level: 'info', logger: name, data: `${tool.name}: ${why}` },
            })
            .catch(() => undefined);
        };
        try {
          const answer =
            typeof key === 'string' ? await once.answer(key, work, onWait) : await work();
          return {
            content: [{ type: 'text' as const, text: JSON.stringify(answer) }],
            structuredContent: answer as Record<string, unknown>,
          };
        } catch (error) {
          return {
            content: [{ type: 'text' as const, text: (error as Error).message }],
            isError: true,
          };
        }
      },
    );
  }
  endWithTheWorker(once);
  await server.connect(new StdioServerTransport());
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
