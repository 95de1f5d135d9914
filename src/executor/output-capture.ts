// The process-wide capture of what computes write to process.stdout and process.stderr
// (console.log, console.error, process.stdout.write, ...). A compute runs inside an
// AsyncLocalStorage context holding its OutputTarget; one hook, installed once on each stream's
// `write`, hands a write made in such a context (synchronously or from any async continuation
// of the compute) to that target, and passes every other write through unchanged. Several
// computes running at once in one process thus each receive exactly their own output. What a
// child process writes to inherited stdio bypasses these streams and is not captured.
//
// On Node 20 an enabled AsyncLocalStorage runs promise hooks for every promise in the process
// (a chain step's Node CPU was about 20% dearer with it always on), so it is enabled only while
// some compute runs: counted, and disabled when the last one ends.
import { AsyncLocalStorage } from 'node:async_hooks';

/** The stream a captured write was made to. */
export type OutputStreamName = 'stdout' | 'stderr';

/** What receives the writes made inside a capture; a closed target lets them pass through. */
export interface OutputTarget {
  /** False once the compute has ended: later writes of its stray continuations pass through. */
  readonly open: boolean;
  take(stream: OutputStreamName, chunk: string | Uint8Array, encoding: string | undefined): void;
}

const current = new AsyncLocalStorage<OutputTarget>();
let installed = false;

/** Replaces `stream.write` by one that routes writes made in a capture context to its target. */
function hook(stream: NodeJS.WriteStream, name: OutputStreamName): void {
  const original = stream.write;
  const write = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
    const target = current.getStore();
    if (target === undefined || !target.open) return Reflect.apply(original, this, args) as boolean;
    const [chunk, encoding, callback] = args;
    target.take(
      name,
      chunk as string | Uint8Array,
      typeof encoding === 'string' ? encoding : undefined,
    );
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  };
  stream.write = write as NodeJS.WriteStream['write'];
}

/** Installs the hooks on process.stdout and process.stderr (once per process). */
function install(): void {
  if (installed) return;
  installed = true;
  hook(process.stdout, 'stdout');
  hook(process.stderr, 'stderr');
}

/** Computes running under a capture: the storage is disabled when none is. */
let active = 0;

/** Runs `fn` with its writes to stdout and stderr (and those of its continuations) sent to `target`. */
export async function captureOutput<T>(target: OutputTarget, fn: () => Promise<T>): Promise<T> {
  install();
  active += 1;
  try {
    return await current.run(target, fn);
  } finally {
    active -= 1;
    // Stray continuations of ended computes then find no target, or a closed one: they pass through.
    if (active === 0) current.disable();
  }
}

/** Runs `fn` outside any capture: what it starts (e.g. database writes) belongs to no compute. */
export function outsideCapture<T>(fn: () => T): T {
  return installed ? current.exit(fn) : fn();
}

/** Writes `text` to the process's own stream, bypassing any capture. */
export function writeThrough(stream: OutputStreamName, text: string): void {
  outsideCapture(() => process[stream].write(text));
}

let echoByDefault = false;
/** STRATA_ECHO_OUTPUT as read (once): null when it says nothing. */
let echoFromEnv: boolean | null | undefined;

/** Echo captured lines unless STRATA_ECHO_OUTPUT says otherwise (a Slurm job: its output file). */
export function echoCapturedOutputByDefault(): void {
  echoByDefault = true;
}

/**
 * Whether captured lines are also written to the process's own stderr, prefixed with the step:
 * `STRATA_ECHO_OUTPUT=1` (`0` for never), for a `strata worker` whose terminal or journal should
 * show them. By default they are only recorded: `strata materialize` shows them as log events,
 * and would have its live status line torn by raw writes.
 */
export function echoCapturedOutput(): boolean {
  if (echoFromEnv === undefined) {
    const value = process.env.STRATA_ECHO_OUTPUT ?? '';
    echoFromEnv = ['1', 'true'].includes(value)
      ? true
      : ['0', 'false'].includes(value)
        ? false
        : null;
  }
  return echoFromEnv ?? echoByDefault;
}
