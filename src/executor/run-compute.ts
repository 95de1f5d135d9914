// Runs one compute function: builds its context, enforces the timeout through an AbortSignal
// (the attempt fails at the deadline even if the function ignores the signal), and validates
// the returned value against the asset's schema.
import type { z } from 'zod';
import type {
  AnyAssetDefinition,
  ArtifactAccess,
  AssetContext,
  AssetLogger,
  MetadataValue,
  ToolAccess,
} from '../definitions/index.js';
import { UserCodeError } from '../errors.js';
import { formatAssetPartition } from '../graph/index.js';
import { runInterruptible } from './interruptible.js';

export { ComputeInterruptedError } from './interruptible.js';

export interface ComputeRequest {
  readonly definition: AnyAssetDefinition;
  readonly partitionKey: string;
  /** What the dynamic partition was added with, if anything. */
  readonly partitionPayload?: unknown;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly runId: number;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly log: AssetLogger;
  readonly artifacts: ArtifactAccess;
  /** The attempt's tool access, given the compute's signal (cancellation and timeout). */
  readonly tools: (signal: AbortSignal) => ToolAccess;
  /** Aborted from outside when the run is cancelled. */
  readonly cancelSignal: AbortSignal;
}

export interface ComputeResult {
  readonly value: unknown;
  readonly metadata: Record<string, MetadataValue>;
  readonly dataVersion: string | undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(value)'}: ${issue.message}`)
    .join('; ');
}

/** Refuses metadata values that are not strings, finite numbers, booleans, null or links. */
export function checkMetadata(
  where: string,
  values: Readonly<Record<string, MetadataValue>>,
): void {
  for (const [name, value] of Object.entries(values)) {
    const ok =
      value === null ||
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'object' && typeof value.url === 'string');
    if (!ok)
      throw new UserCodeError(
        `${where}: metadata ${name} must be a string, finite number, boolean, null or { url }`,
      );
  }
}

/** Runs the compute function of `request.definition` and returns its validated value. */
export async function runCompute(request: ComputeRequest): Promise<ComputeResult> {
  const { definition } = request;
  const where = `asset ${formatAssetPartition(definition.key, request.partitionKey)}`;
  const metadata: Record<string, MetadataValue> = {};
  let dataVersion: string | undefined;
  const returned = await runInterruptible(
    { timeoutMs: definition.timeoutMs, cancelSignal: request.cancelSignal, what: where },
    (signal) => {
      const context: AssetContext = {
        inputs: request.inputs,
        assetKey: definition.key,
        partitionKey: request.partitionKey === '' ? undefined : request.partitionKey,
        partitionPayload: request.partitionPayload,
        runId: String(request.runId),
        attempt: request.attempt,
        signal,
        idempotencyKey: request.idempotencyKey,
        log: request.log,
        artifacts: request.artifacts,
        tools: request.tools(signal),
        metadata(values) {
          checkMetadata(where, values);
          Object.assign(metadata, values);
        },
        setDataVersion(version) {
          if (typeof version !== 'string' || version.length === 0)
            throw new UserCodeError(`${where}: setDataVersion needs a non-empty string`);
          dataVersion = version;
        },
      };
      return definition.compute(context as AssetContext<never>);
    },
  );
  const parsed = definition.schema.safeParse(returned);
  if (!parsed.success) {
    throw new UserCodeError(
      `${where} returned a value that does not match its schema: ${describeIssues(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  return { value: parsed.data, metadata, dataVersion };
}
