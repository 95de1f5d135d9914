// What every tool server of the example shares: an MCP server over stdio whose tools are
// idempotent (a call with an idempotency key already answered returns the stored answer and does
// no work), and the artifact store the worker gave it ($STRATA_ARTIFACTS).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { IDEMPOTENCY_META_KEY, LocalArtifactStore, TOOL_ARTIFACTS_ENV } from 'strata';
import type { z } from 'zod';

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

/** Answers already given, by idempotency key: files, so they survive a restart of the server. */
class AnswerBook {
  readonly #dir: string;
  constructor(root: string, server: string) {
    this.#dir = path.join(root, 'tool-results', server);
  }
  #file(key: string): string {
    if (!/^[0-9a-f]{8,128}$/.test(key))
      throw new Error(`invalid idempotency key ${JSON.stringify(key)}`);
    return path.join(this.#dir, `${key}.json`);
  }
  async get(key: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.#file(key), 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  }
  async put(key: string, answer: unknown): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const file = this.#file(key);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(answer));
    await rename(temp, file);
  }
}

/** Starts an MCP server named `name` over stdio with idempotent `tools`. */
export async function serveTools(
  name: string,
  version: string,
  tools: readonly ToolSpec<z.ZodRawShape, z.ZodRawShape>[],
): Promise<void> {
  const artifacts = workerArtifacts();
  const answers = new AnswerBook(artifacts.root, name);
  const server = new McpServer({ name, version });
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: tool.input, outputSchema: tool.output },
      async (args, extra) => {
        const key = extra._meta?.[IDEMPOTENCY_META_KEY];
        try {
          let answer = typeof key === 'string' ? await answers.get(key) : undefined;
          if (answer === undefined) {
            answer = await tool.run(args as never, artifacts);
            if (typeof key === 'string') await answers.put(key, answer);
          }
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
  await server.connect(new StdioServerTransport());
}
