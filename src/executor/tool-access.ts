// `ctx.tools` of one attempt: calls tool servers with an idempotency key derived from the step's
// inputs, turns tool errors into step failures with the tool's message, and records each call.
import {
  IDEMPOTENCY_META_KEY,
  type ToolAccess,
  type ToolCallResult,
} from '../definitions/index.js';
import { UserCodeError } from '../errors.js';
import { hashJson, sha256Hex } from '../util/canonical-json.js';
import type { ClaimedStep } from './claim-steps.js';
import type { WorkerRuntime } from './worker-runtime.js';

interface ContentItem {
  type: string;
  text?: string;
}

/** The tool access of `claim`'s attempt; `stepKey` is the step's idempotency key. */
export function toolAccess(
  runtime: WorkerRuntime,
  claim: ClaimedStep,
  stepKey: string,
  signal: AbortSignal,
): ToolAccess & { readonly calls: number } {
  let calls = 0;
  const access = {
    get calls() {
      return calls;
    },
    async call<T = Record<string, unknown>>(
      server: string,
      tool: string,
      args: Readonly<Record<string, unknown>>,
    ): Promise<ToolCallResult<T>> {
      const { client, version } = await runtime.tools.get(server);
      const argumentHash = hashJson(args);
      const idempotencyKey = sha256Hex(
        `${stepKey}\u0000${server}\u0000${tool}\u0000${argumentHash}`,
      ).slice(0, 32);
      const startedAt = new Date();
      let error: string | undefined;
      let result: ToolCallResult<T> | undefined;
      try {
        const response = await client.callTool(
          { name: tool, arguments: { ...args }, _meta: { [IDEMPOTENCY_META_KEY]: idempotencyKey } },
          undefined,
          { signal },
        );
        const text = ((response.content ?? []) as ContentItem[])
          .filter((c) => c.type === 'text')
          .map((c) => c.text ?? '')
          .join('\n');
        if (response.isError) error = text || `tool ${server}.${tool} failed`;
        else {
          const structured = (response.structuredContent ?? {}) as T & { id?: unknown };
          result = {
            structured,
            text,
            resultId: typeof structured.id === 'string' ? structured.id : undefined,
          };
        }
      } catch (cause) {
        error = (cause as Error).message;
      }
      calls++;
      await runtime.db
        .insertInto('strata_internal.tool_calls')
        .values({
          run_id: claim.step.run_id,
          step_id: claim.step.id,
          attempt_id: claim.attemptId,
          server,
          tool,
          tool_version: version ?? null,
          argument_hash: argumentHash,
          idempotency_key: idempotencyKey,
          result_id: result?.resultId ?? null,
          status: error === undefined ? 'succeeded' : 'failed',
          error: error ?? null,
          started_at: startedAt,
          duration_ms: Date.now() - startedAt.getTime(),
        })
        .execute();
      if (error !== undefined || !result)
        throw new UserCodeError(`tool ${server}.${tool} failed: ${error}`);
      return result;
    },
  };
  return access;
}
