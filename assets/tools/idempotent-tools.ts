// An MCP server whose tools are idempotent: a call carrying an idempotency key already answered
// returns the stored answer and does no work (./once-per-key.ts); a call waiting for the same key
// elsewhere says so in an MCP log notification; a long call reports its progress to a caller that
// asked for it (MCP progress notifications); a tool's error is a tool result with isError.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { IDEMPOTENCY_META_KEY, type ArtifactStore } from 'strata';
import type { z } from 'zod';
import type { OncePerKey } from './once-per-key.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ReportProgress, ToolSpec } from './tool-spec.js';

/** What a call was answered with: work done now, or an answer given before. */
export interface Answered {
  readonly tool: string;
  /** Undefined when the call carried no idempotency key. */
  readonly key: string | undefined;
  readonly worked: boolean;
  readonly ms: number;
}

/** What the servers of one process share. */
export interface IdempotentTools {
  readonly name: string;
  readonly version: string;
  readonly tools: readonly ToolSpec<z.ZodRawShape, z.ZodRawShape>[];
  readonly artifacts: ArtifactStore;
  readonly once: OncePerKey;
  /** Hears how every successful call was answered (the server's log line of the call). */
  readonly onAnswered?: (answered: Answered) => void;
}

/**
 * The progress reporter of one call: an MCP progress notification per report, with the call's
 * progress token and an increasing count, when the caller sent a token; else nothing is sent.
 */
function progressReporter(
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
): ReportProgress {
  const token = extra._meta?.progressToken;
  let reports = 0;
  return (message) => {
    if (token === undefined) return false;
    reports++;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: reports, message },
      })
      .catch(() => undefined);
    return true;
  };
}

/** A new MCP server serving `shared.tools`; every server made from one `shared` shares its state. */
export function idempotentServer(shared: IdempotentTools): McpServer {
  const { name, artifacts, once } = shared;
  const server = new McpServer(
    { name, version: shared.version },
    { capabilities: { logging: {} } },
  );
  for (const tool of shared.tools) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: tool.input, outputSchema: tool.output },
      async (args, extra) => {
        const key = extra._meta?.[IDEMPOTENCY_META_KEY];
        const started = Date.now();
        let worked = false;
        const work = () => {
          worked = true;
          return tool.run(args as never, artifacts, progressReporter(extra));
        };
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
          shared.onAnswered?.({
            tool: tool.name,
            key: typeof key === 'string' ? key : undefined,
            worked,
            ms: Date.now() - started,
          });
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
  return server;
}
