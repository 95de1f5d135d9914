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
import { StrataError, UserCodeError } from '../errors.js';
import { formatAssetPartition } from '../graph/index.js';

/** Why an attempt's compute was interrupted. */
export class ComputeInterruptedError extends StrataError {
  /** A timeout is the asset's (its code or its `timeout`, retried by policy); a cancel was asked for. */
  readonly fault: 'user_code' | 'usage';
  constructor(
    readonly kind: 'timed_out' | 'canceled',
    message: string,
  ) {
    super(message, { retryable: kind === 'timed_out' });
    this.fault = kind === 'timed_out' ? 'user_code' : 'usage';
  }
}

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
  const controller = new AbortController();
  const metadata: Record<string, MetadataValue> = {};
  let dataVersion: string | undefined;
  const context: AssetContext = {
    inputs: request.inputs,
    assetKey: definition.key,
    partitionKey: request.partitionKey === '' ? undefined : request.partitionKey,
    partitionPayload: request.partitionPayload,
    runId: String(request.runId),
    attempt: request.attempt,
    signal: controller.signal,
    idempotencyKey: request.idempotencyKey,
    log: request.log,
    artifacts: request.artifacts,
    tools: request.tools(controller.signal),
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

  let timer: NodeJS.Timeout | undefined;
  let onCancel: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    const interrupt = (error: ComputeInterruptedError): void => {
      controller.abort(error);
      reject(error);
    };
    if (definition.timeoutMs !== undefined) {
      timer = setTimeout(
        () =>
          interrupt(
            new ComputeInterruptedError(
              'timed_out',
              `${where} timed out after ${definition.timeoutMs} ms`,
            ),
          ),
        definition.timeoutMs,
      );
    }
    onCancel = () => interrupt(new ComputeInterruptedError('canceled', `${where} was cancelled`));
    if (request.cancelSignal.aborted) onCancel();
    else request.cancelSignal.addEventListener('abort', onCancel, { once: true });
  });
  try {
    const returned = await Promise.race([
      Promise.resolve().then(() => definition.compute(context as AssetContext<never>)),
      interrupted,
    ]);
    const parsed = definition.schema.safeParse(returned);
    if (!parsed.success) {
      throw new UserCodeError(
        `${where} returned a value that does not match its schema: ${describeIssues(parsed.error)}`,
        { cause: parsed.error },
      );
    }
    return { value: parsed.data, metadata, dataVersion };
  } finally {
    clearTimeout(timer);
    if (onCancel) request.cancelSignal.removeEventListener('abort', onCancel);
    interrupted.catch(() => undefined);
  }
}
