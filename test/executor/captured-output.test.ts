// The lines of a compute's captured stdout and stderr (src/executor/captured-output.ts): split on
// newlines per stream, partial lines held until their newline or the end, multi-byte characters
// split across writes decoded whole, and the per-attempt limit with its final "not kept" line.
import { describe, expect, it, vi } from 'vitest';
import { CapturedOutput } from '../../src/executor/captured-output.js';
import type { OutputStreamName } from '../../src/executor/output-capture.js';

function capture(limits = { bytes: 1_000, lines: 100 }) {
  const lines: [OutputStreamName, string, number?][] = [];
  const output = new CapturedOutput(
    (stream, text, notKept) =>
      lines.push(notKept === undefined ? [stream, text] : [stream, text, notKept]),
    limits,
  );
  return { output, lines };
}

describe('captured output', () => {
  it('splits each stream into lines, holding partial lines until their newline or the end, as a terminal shows them', () => {
    const { output, lines } = capture();
    output.take('stdout', 'one\ntw', undefined);
    output.take('stderr', 'err', undefined);
    output.take('stdout', 'o\r\nthr\r 50%\rthree\n\nfour', undefined);
    expect(lines).toEqual([
      ['stdout', 'one'],
      ['stdout', 'two'],
      ['stdout', 'three'],
      ['stdout', ''],
    ]);
    output.take('stderr', 'or\n', undefined);
    output.end();
    expect(lines.slice(4)).toEqual([
      ['stderr', 'error'],
      ['stdout', 'four'],
    ]);
    expect(output.open).toBe(false);
  });

  it('decodes buffers, other encodings and characters split across writes', () => {
    const { output, lines } = capture();
    const bytes = Buffer.from('é€😀\n');
    output.take('stdout', bytes.subarray(0, 1), undefined);
    output.take('stdout', bytes.subarray(1, 4), undefined);
    output.take('stdout', bytes.subarray(4), undefined);
    output.take('stderr', Buffer.from('hex\n').toString('hex'), 'hex');
    output.end();
    expect(lines).toEqual([
      ['stdout', 'é€😀'],
      ['stderr', 'hex'],
    ]);
  });

  it('keeps at most the limit of bytes, then says how many bytes were not kept', () => {
    const { output, lines } = capture({ bytes: 20, lines: 100 });
    output.take('stdout', '123456789\n', undefined); // 10 bytes with its newline
    output.take('stderr', 'abcdefgh\n', undefined); // 9: 19 in all
    output.take('stdout', 'xy\nmore\n', undefined); // 'xy' does not fit: 3 + 5 not kept
    output.take('stderr', 'later', undefined); // 5 not kept
    output.end();
    expect(lines).toEqual([
      ['stdout', '123456789'],
      ['stderr', 'abcdefgh'],
      [
        'stdout',
        '… 13 bytes not kept (at most 20 bytes and 100 lines of output are kept per attempt)',
        13,
      ],
    ]);
  });

  it('keeps at most the limit of lines, and never holds a partial line longer than the room left', () => {
    const { output, lines } = capture({ bytes: 100, lines: 2 });
    output.take('stdout', 'a\nb\nc\n', undefined);
    output.end();
    expect(lines.map(([, text]) => text)).toEqual(['a', 'b', expect.stringMatching(/^… 2 bytes/)]);

    const long = capture({ bytes: 10, lines: 100 });
    for (let i = 0; i < 1_000; i++) long.output.take('stdout', 'x', undefined);
    long.output.end();
    expect(long.lines).toEqual([['stdout', expect.stringMatching(/^… 1000 bytes not kept/), 1000]]);
  });

  it('ignores writes after its end (they pass through: the target is closed)', () => {
    const { output, lines } = capture();
    output.take('stdout', 'partial', undefined);
    output.end();
    output.end();
    expect(lines).toEqual([['stdout', 'partial']]);
    expect(output.open).toBe(false);
  });

  it("echoes each kept line to the process's own stderr, prefixed with the step and stream, when asked to", () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const output = new CapturedOutput(() => undefined, { bytes: 1_000, lines: 100 }, 'mesh[d05]');
      output.take('stderr', 'bad element\npartial', undefined);
      output.take('stdout', '40 cells\n', undefined);
      output.end();
    } finally {
      spy.mockRestore();
    }
    expect(written).toEqual([
      'mesh[d05] stderr: bad element\n',
      'mesh[d05] stdout: 40 cells\n',
      'mesh[d05] stderr: partial\n',
    ]);
  });
});
