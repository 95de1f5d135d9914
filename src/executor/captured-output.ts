// One compute's captured stdout and stderr (output-capture.ts), cut into lines: each stream's
// text is split on newlines, a partial line is kept until its newline or the compute's end, and
// the lines go to `emit` as they complete (a fused step keeps them, an attempt appends them as
// log events). A per-attempt limit on bytes and lines keeps a chatty compute from flooding the
// database: past it nothing more is kept, and the end emits one "… N bytes not kept" line.
import { StringDecoder } from 'node:string_decoder';
import type { OutputStreamName, OutputTarget } from './output-capture.js';
import { writeThrough } from './output-capture.js';

/** How much of an attempt's output is kept (bytes of UTF-8 text, newlines included; lines). */
export interface OutputLimits {
  readonly bytes: number;
  readonly lines: number;
}

export const OUTPUT_LIMITS: OutputLimits = { bytes: 256 * 1024, lines: 5_000 };

/** Receives a complete line; `notKeptBytes` is set on the final line saying what was dropped. */
export type LineSink = (stream: OutputStreamName, text: string, notKeptBytes?: number) => void;

/** The captured output of one compute; `end()` when the compute has ended. */
export class CapturedOutput implements OutputTarget {
  open = true;
  private readonly partial: Record<OutputStreamName, string> = { stdout: '', stderr: '' };
  private decoders: Partial<Record<OutputStreamName, StringDecoder>> = {};
  private keptBytes = 0;
  private keptLines = 0;
  private full = false;
  private notKept = 0;
  private firstDropped: OutputStreamName = 'stdout';

  /**
   * `echo`: also write each line to the process's own stderr, after this prefix (a step's label)
   * and its stream: stdout stays the command's own (`--json`).
   */
  constructor(
    private readonly emit: LineSink,
    private readonly limits: OutputLimits = OUTPUT_LIMITS,
    private readonly echo?: string,
  ) {}

  take(stream: OutputStreamName, chunk: string | Uint8Array, encoding: string | undefined): void {
    const text = this.decode(stream, chunk, encoding);
    if (this.full) {
      this.notKept += Buffer.byteLength(text);
      return;
    }
    const last = text.lastIndexOf('\n');
    // Text without a newline only lengthens the partial line (nothing held is scanned again).
    if (last === -1) {
      this.hold(stream, this.partial[stream] + text);
      return;
    }
    const lines = (this.partial[stream] + text.slice(0, last)).split('\n');
    this.partial[stream] = '';
    for (const line of lines) {
      if (this.full) this.notKept += Buffer.byteLength(line) + 1;
      else this.line(stream, line, true);
    }
    const rest = text.slice(last + 1);
    if (this.full) this.notKept += Buffer.byteLength(rest);
    else this.hold(stream, rest);
  }

  /** Ends the capture: partial lines are emitted, then what was not kept, if anything. */
  end(): void {
    if (!this.open) return;
    this.open = false;
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream] + (this.decoders[stream]?.end() ?? '');
      this.partial[stream] = '';
      if (rest === '') continue;
      if (this.full) this.notKept += Buffer.byteLength(rest);
      else this.line(stream, rest, false);
    }
    if (this.notKept > 0) {
      const text = `… ${this.notKept} bytes not kept (at most ${this.limits.bytes} bytes and ${this.limits.lines} lines of output are kept per attempt)`;
      this.emit(this.firstDropped, text, this.notKept);
      if (this.echo !== undefined) writeThrough('stderr', `${this.echo}: ${text}\n`);
    }
  }

  private decode(
    stream: OutputStreamName,
    chunk: string | Uint8Array,
    encoding: string | undefined,
  ): string {
    if (typeof chunk === 'string') {
      if (encoding === undefined || encoding === 'utf8' || encoding === 'utf-8') return chunk;
      chunk = Buffer.from(chunk, encoding as BufferEncoding);
    }
    const decoder = (this.decoders[stream] ??= new StringDecoder('utf8'));
    return decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  /** Keeps a partial line unless it can no longer fit (a UTF-16 unit is at most 3 bytes). */
  private hold(stream: OutputStreamName, text: string): void {
    const room = this.limits.bytes - this.keptBytes;
    if (text.length * 3 > room && Buffer.byteLength(text) > room) this.overflow(stream, text);
    else this.partial[stream] = text;
  }

  private line(stream: OutputStreamName, raw: string, newline: boolean): void {
    // A line redrawn with carriage returns (a progress bar) is kept as a terminal shows it.
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const text = line.slice(line.lastIndexOf('\r') + 1);
    const bytes = Buffer.byteLength(raw) + (newline ? 1 : 0);
    if (this.keptLines >= this.limits.lines || this.keptBytes + bytes > this.limits.bytes) {
      this.overflow(stream, raw);
      if (newline) this.notKept += 1;
      return;
    }
    this.keptBytes += bytes;
    this.keptLines += 1;
    this.emit(stream, text);
    if (this.echo !== undefined) writeThrough('stderr', `${this.echo} ${stream}: ${text}\n`);
  }

  /** The limit is reached at `text` of `stream`: it and everything after are not kept. */
  private overflow(stream: OutputStreamName, text: string): void {
    this.full = true;
    this.firstDropped = stream;
    this.notKept += Buffer.byteLength(text);
    const other = stream === 'stdout' ? 'stderr' : 'stdout';
    this.notKept += Buffer.byteLength(this.partial[other]);
    this.partial.stdout = '';
    this.partial.stderr = '';
  }
}
