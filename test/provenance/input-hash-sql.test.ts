// inputHashSql computes in PostgreSQL exactly what inputHashOf computes in Node, for keys,
// partitions, code versions and data versions with every character JSON escapes (and some it
// does not), so the planner's bulk path can compare stored input hashes in the database.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  inputHashOf,
  inputHashSql,
  isPlainJsonText,
  type InputVersion,
} from '../../src/provenance/index.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

const tricky = [
  'plain',
  '',
  'quote " inside',
  'back\\slash',
  'tab\there, newline\nthere, cr\r, ff\f, bs\b',
  'control \u0001 \u001f and del \u007f',
  'unicode é 東京 and emoji 🚀',
  'line separators \u2028 \u2029',
  '2024-01-01|r001',
];

const cases: {
  name: string;
  key: string;
  partition: string;
  code: string;
  inputs: InputVersion[];
}[] = [
  ...tricky.map((text) => ({
    name: `root asset, partition ${JSON.stringify(text)}`,
    key: `asset ${text}`,
    partition: text,
    code: `v ${text}`,
    inputs: [],
  })),
  {
    name: 'two dependencies read at the same partition',
    key: 'sales',
    partition: '2024-05-01|r007',
    code: '3',
    inputs: [
      { depKey: 'orders', depPartition: '2024-05-01|r007', dataVersion: 'abc' },
      { depKey: 'rates', depPartition: '', dataVersion: 'd"e\\f' },
    ],
  },
  ...tricky.map((text) => ({
    name: `one dependency whose data version is ${JSON.stringify(text)}`,
    key: 'k',
    partition: text,
    code: '1',
    inputs: [{ depKey: `dep ${text}`, depPartition: text, dataVersion: text }],
  })),
];

describe('inputHashSql', () => {
  it.each(cases)('matches inputHashOf: $name', async ({ key, partition, code, inputs }) => {
    const expression = inputHashSql(
      key,
      sql<string>`${partition}::text`,
      code,
      inputs.map((input) => ({
        depKey: input.depKey,
        depPartition:
          input.depPartition === partition ? sql<string>`${partition}::text` : input.depPartition,
        dataVersion: sql<string>`${input.dataVersion}::text`,
      })),
    );
    const { rows } = await sql<{ hash: string }>`select ${expression} as hash`.execute(database.db);
    expect(rows[0]!.hash).toBe(inputHashOf(key, partition, code, inputs));
  });

  it.each(cases.filter((c) => isPlainJsonText(c.partition)))(
    'matches inputHashOf with plain keys only quoted: $name',
    async ({ key, partition, code, inputs }) => {
      const column = sql<string>`${partition}::text`;
      const expression = inputHashSql(
        key,
        column,
        code,
        inputs.map((input) => ({
          depKey: input.depKey,
          depPartition: input.depPartition === partition ? column : input.depPartition,
          dataVersion: sql<string>`${input.dataVersion}::text`,
        })),
        'quote',
      );
      const { rows } = await sql<{ hash: string }>`select ${expression} as hash`.execute(
        database.db,
      );
      expect(rows[0]!.hash).toBe(inputHashOf(key, partition, code, inputs));
    },
  );

  it.each([
    ['plain', true],
    ['2024-01-01|r001', true],
    ['unicode é 東京', true],
    ['quote "', false],
    ['back\\slash', false],
    ['tab\t', false],
    ['\u007f del', true],
    ['emoji 🚀 (a surrogate pair: escaped to be safe)', false],
  ])('isPlainJsonText(%j) is %s', (text, plain) => {
    expect(isPlainJsonText(text)).toBe(plain);
    if (plain) expect(JSON.stringify(text)).toBe(`"${text}"`);
  });

  it('is null when an input has no data version', async () => {
    const expression = inputHashSql('k', sql<string>`'p'::text`, '1', [
      { depKey: 'dep', depPartition: 'p', dataVersion: sql<null>`null::text` },
    ]);
    const { rows } = await sql<{ hash: string | null }>`select ${expression} as hash`.execute(
      database.db,
    );
    expect(rows[0]!.hash).toBeNull();
  });
});
