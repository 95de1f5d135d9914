// The fingerprint recipes of docs/semantics.md: the input hash is the sha256 of exactly
// JSON.stringify([1, key, partition, codeVersion, sortedInputs]), whatever the input order.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dataVersionOf, inputHashOf, type InputVersion } from '../../src/provenance/index.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const cases: {
  name: string;
  key: string;
  partition: string;
  code: string;
  inputs: InputVersion[];
}[] = [
  { name: 'no inputs, unpartitioned', key: 'designs', partition: '', code: '1', inputs: [] },
  {
    name: 'inputs given out of order',
    key: 'sim/mesh',
    partition: 'd07',
    code: 'h:0123456789abcdef',
    inputs: [
      { depKey: 'settings', depPartition: '', dataVersion: 'b' },
      { depKey: 'cad', depPartition: 'd07', dataVersion: 'a' },
    ],
  },
  {
    name: 'fan-in partitions out of order, characters JSON must escape',
    key: 'pareto',
    partition: '',
    code: 'v"2\\',
    inputs: [
      { depKey: 'metrics', depPartition: 'd2', dataVersion: 'x\u2028' },
      { depKey: 'metrics', depPartition: 'd10', dataVersion: 'é' },
      { depKey: 'metrics', depPartition: 'd1', dataVersion: 'y' },
    ],
  },
];

describe('input hash', () => {
  it.each(cases)('$name', ({ key, partition, code, inputs }) => {
    const sorted = [...inputs]
      .sort((a, b) =>
        a.depKey !== b.depKey
          ? a.depKey < b.depKey
            ? -1
            : 1
          : a.depPartition < b.depPartition
            ? -1
            : a.depPartition > b.depPartition
              ? 1
              : 0,
      )
      .map((i) => [i.depKey, i.depPartition, i.dataVersion]);
    const expected = sha256(JSON.stringify([1, key, partition, code, sorted]));
    expect(inputHashOf(key, partition, code, inputs)).toBe(expected);
    expect(inputHashOf(key, partition, code, [...inputs].reverse())).toBe(expected);
  });

  it('changes with every component', () => {
    const base = inputHashOf('a', 'p', 'v1', [
      { depKey: 'b', depPartition: '', dataVersion: 'd1' },
    ]);
    expect(
      inputHashOf('a2', 'p', 'v1', [{ depKey: 'b', depPartition: '', dataVersion: 'd1' }]),
    ).not.toBe(base);
    expect(
      inputHashOf('a', 'q', 'v1', [{ depKey: 'b', depPartition: '', dataVersion: 'd1' }]),
    ).not.toBe(base);
    expect(
      inputHashOf('a', 'p', 'v2', [{ depKey: 'b', depPartition: '', dataVersion: 'd1' }]),
    ).not.toBe(base);
    expect(
      inputHashOf('a', 'p', 'v1', [{ depKey: 'b', depPartition: '', dataVersion: 'd2' }]),
    ).not.toBe(base);
  });
});

describe('data version', () => {
  it.each([
    {
      name: 'key order does not matter',
      a: { x: 1, y: [1, { b: 2, a: 1 }] },
      b: { y: [1, { a: 1, b: 2 }], x: 1 },
      same: true,
    },
    { name: 'array order matters', a: [1, 2], b: [2, 1], same: false },
    { name: 'types matter', a: { x: 1 }, b: { x: '1' }, same: false },
  ])('$name', ({ a, b, same }) => {
    expect(dataVersionOf(a) === dataVersionOf(b)).toBe(same);
  });
});
