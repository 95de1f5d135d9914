// How a tool call's progress notifications become log lines: their message when they have one
// (else progress and total), the first at once, then at most one per interval.
import { describe, expect, it } from 'vitest';
import { progressLine, throttledProgress } from '../../src/executor/tool-progress.js';

describe('progress lines', () => {
  it.each([
    [
      { progress: 5, message: 'ccx running for 5 s: step 1 increment 1' },
      'cae.solve.wait: ccx running for 5 s: step 1 increment 1',
    ],
    [{ progress: 2, total: 10 }, 'cae.solve.wait: progress 2 of 10'],
    [{ progress: 7 }, 'cae.solve.wait: progress 7'],
    [{ progress: 3, total: 4, message: '  ' }, 'cae.solve.wait: progress 3 of 4'],
  ])('%j -> %s', (progress, line) => {
    expect(progressLine('cae', 'solve.wait', progress)).toBe(line);
  });
});

describe('throttled progress', () => {
  it.each([
    { at: [0, 5, 10, 15], everyMs: 10, logged: [0, 10] },
    { at: [0, 9, 19, 20, 31], everyMs: 10, logged: [0, 19, 31] },
    { at: [100], everyMs: 30_000, logged: [100] },
    { at: [0, 1, 2], everyMs: 0, logged: [0, 1, 2] },
  ])('notifications at $at every $everyMs ms: logged at $logged', ({ at, everyMs, logged }) => {
    let now = 0;
    const lines: number[] = [];
    const hear = throttledProgress(
      's',
      't',
      (_line, data) => lines.push(data.progress as number),
      everyMs,
      () => now,
    );
    for (const time of at) {
      now = time;
      hear({ progress: time });
    }
    expect(lines).toEqual(logged);
  });
});
