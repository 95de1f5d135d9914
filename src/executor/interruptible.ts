// Runs user code (a compute, a check) under a deadline and a cancel signal: the code's signal is
// aborted with the reason, and the returned promise rejects at the deadline or the cancel even
// when the code ignores its signal (JavaScript cannot stop it; its promise is abandoned).
import { StrataError } from '../errors.js';

/** Why an attempt's compute (or a check) was interrupted. */
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

/** When to give up, and how to say so. */
export interface Interruption {
  /** undefined: no deadline. */
  readonly timeoutMs: number | undefined;
  /** Aborted from outside when the run is cancelled. */
  readonly cancelSignal: AbortSignal;
  /** What is interrupted, e.g. `asset mesh[d01]`: "<what> timed out after N ms". */
  readonly what: string;
}

/** Runs `work` with a signal that aborts at the deadline or on cancel; rejects then. */
export async function runInterruptible<T>(
  interruption: Interruption,
  work: (signal: AbortSignal) => T | Promise<T>,
): Promise<T> {
  const { timeoutMs, cancelSignal, what } = interruption;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onCancel: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    const interrupt = (error: ComputeInterruptedError): void => {
      controller.abort(error);
      reject(error);
    };
    if (timeoutMs !== undefined)
      timer = setTimeout(
        () =>
          interrupt(
            new ComputeInterruptedError('timed_out', `${what} timed out after ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
    onCancel = () => interrupt(new ComputeInterruptedError('canceled', `${what} was cancelled`));
    if (cancelSignal.aborted) onCancel();
    else cancelSignal.addEventListener('abort', onCancel, { once: true });
  });
  try {
    return await Promise.race([Promise.resolve().then(() => work(controller.signal)), interrupted]);
  } finally {
    clearTimeout(timer);
    if (onCancel) cancelSignal.removeEventListener('abort', onCancel);
    interrupted.catch(() => undefined);
  }
}
