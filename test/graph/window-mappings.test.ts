// Time-window and multi-dimensional partition mappings: what one partition of a dependant reads
// (identity, an earlier window, the window containing it, the windows inside it, per dimension),
// and the pairs defineAssets() refuses, naming both assets and the field.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  asset,
  byDimension,
  dailyPartitions,
  defineAssets,
  dimensionKeysOf,
  hourlyPartitions,
  monthlyPartitions,
  multiPartitions,
  staticPartitions,
  timeWindowKeysAt,
  timeWindowOffset,
  timeWindowsWithin,
  weeklyPartitions,
  cronPartitions,
  type AnyAssetDefinition,
  type DependencyInput,
  type PartitionsDefinition,
  type TimeWindowPartitions,
} from '../../src/definitions/index.js';
import { DefinitionError } from '../../src/errors.js';
import { parseSelection } from '../../src/graph/selection-parser.js';
import {
  dependencyPartitions,
  isFanInMapping,
  type PartitionSetView,
} from '../../src/graph/index.js';

const NOW = Date.parse('2024-04-02T00:00Z');
const daily = dailyPartitions({ start: '2024-01-01' });
const dailyBerlin = dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' });
const hourlyBerlin = hourlyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' });
const monthly = monthlyPartitions({ start: '2024-01-01' });
const weekly = weeklyPartitions({ start: '2024-01-01' });
const regions = staticPartitions(['eu', 'us']);
const salesSet = multiPartitions({ date: daily, region: regions });

const sources = new Map<string, AnyAssetDefinition>();
/** One root asset per key (defineAssets() refuses two objects with one key). */
function source(key: string, partitions: PartitionsDefinition): AnyAssetDefinition {
  let found = sources.get(key);
  if (found === undefined) {
    found = asset({ key, partitions, schema: z.number(), compute: () => 1 });
    sources.set(key, found);
  }
  return found;
}
const reader = (key: string, partitions: PartitionsDefinition, input: DependencyInput) =>
  asset({ key, partitions, deps: { input }, schema: z.number(), compute: () => 1 });

/** The view of a set at NOW, as resolvePartitionSets builds it. */
function viewOf(partitions: PartitionsDefinition): PartitionSetView {
  if (partitions.kind === 'time-window') return { keys: timeWindowKeysAt(partitions, NOW) };
  if (partitions.kind === 'static') return { keys: partitions.keys };
  if (partitions.kind !== 'multi') throw new Error('not used here');
  const dimensionKeys = partitions.dimensions.map((d) => viewOf(d.partitions).keys);
  const keys = dimensionKeys.reduce<string[]>(
    (acc, dim, i) => (i === 0 ? [...dim] : acc.flatMap((p) => dim.map((k) => `${p}|${k}`))),
    [],
  );
  return { keys, dimensionKeys };
}

describe('what one partition reads', () => {
  const upstream = source('up', daily);
  const sales = source('sales', salesSet);
  const cases: ReadonlyArray<{
    name: string;
    dependency: AnyAssetDefinition;
    own: PartitionsDefinition;
    input: DependencyInput;
    partition: string;
    reads: readonly string[];
    fanIn: boolean;
  }> = [
    {
      name: 'identity: the same day',
      dependency: upstream,
      own: daily,
      input: upstream,
      partition: '2024-02-10',
      reads: ['2024-02-10'],
      fanIn: false,
    },
    {
      name: 'offset -1: yesterday',
      dependency: upstream,
      own: daily,
      input: timeWindowOffset(upstream, -1),
      partition: '2024-02-10',
      reads: ['2024-02-09'],
      fanIn: false,
    },
    {
      name: 'offset -1 at the first window reads nothing',
      dependency: upstream,
      own: daily,
      input: timeWindowOffset(upstream, -1),
      partition: '2024-01-01',
      reads: [],
      fanIn: false,
    },
    {
      name: 'offset -7 across a month',
      dependency: upstream,
      own: daily,
      input: timeWindowOffset(upstream, -7),
      partition: '2024-03-03',
      reads: ['2024-02-25'],
      fanIn: false,
    },
    {
      name: 'daily -> monthly: the month containing the day',
      dependency: source('m', monthly),
      own: daily,
      input: source('m', monthly),
      partition: '2024-02-29',
      reads: ['2024-02'],
      fanIn: false,
    },
    {
      name: 'daily -> weekly: its week (by Monday)',
      dependency: source('w', weekly),
      own: daily,
      input: source('w', weekly),
      partition: '2024-01-14',
      reads: ['2024-01-08'],
      fanIn: false,
    },
    {
      name: 'monthly -> daily: every day of its month (leap February)',
      dependency: upstream,
      own: monthly,
      input: timeWindowsWithin(upstream),
      partition: '2024-02',
      reads: Array.from({ length: 29 }, (_, i) => `2024-02-${String(i + 1).padStart(2, '0')}`),
      fanIn: true,
    },
    {
      name: 'daily (Berlin) -> hourly: 23 hours on the spring-forward day',
      dependency: source('h', hourlyBerlin),
      own: dailyBerlin,
      input: timeWindowsWithin(source('h', hourlyBerlin)),
      partition: '2024-03-31',
      reads: Array.from(
        { length: 24 },
        (_, h) => `2024-03-31T${String(h).padStart(2, '0')}:00`,
      ).filter((k) => k !== '2024-03-31T02:00'),
      fanIn: true,
    },
    {
      name: 'hourly (Berlin) -> daily: the day containing the hour',
      dependency: source('d', dailyBerlin),
      own: hourlyBerlin,
      input: source('d', dailyBerlin),
      partition: '2024-03-31T23:00',
      reads: ['2024-03-31'],
      fanIn: false,
    },
    {
      name: 'multi identity',
      dependency: sales,
      own: salesSet,
      input: sales,
      partition: '2024-02-10|eu',
      reads: ['2024-02-10|eu'],
      fanIn: false,
    },
    {
      name: 'multi: offset on date, identity on region',
      dependency: sales,
      own: salesSet,
      input: timeWindowOffset(sales, -1),
      partition: '2024-02-10|us',
      reads: ['2024-02-09|us'],
      fanIn: false,
    },
    {
      name: 'multi: offset at the first date reads nothing',
      dependency: sales,
      own: salesSet,
      input: timeWindowOffset(sales, -1),
      partition: '2024-01-01|us',
      reads: [],
      fanIn: false,
    },
    {
      name: 'daily reading every region of its day',
      dependency: sales,
      own: daily,
      input: byDimension(sales, { region: 'all' }),
      partition: '2024-02-10',
      reads: ['2024-02-10|eu', '2024-02-10|us'],
      fanIn: true,
    },
    {
      name: 'monthly per region reading the days of its month',
      dependency: sales,
      own: multiPartitions({ month: monthly, region: regions }),
      input: byDimension(sales, { date: 'within' }),
      partition: '2024-02|us',
      reads: Array.from({ length: 29 }, (_, i) => `2024-02-${String(i + 1).padStart(2, '0')}|us`),
      fanIn: true,
    },
    {
      name: 'multi per date reading a daily dependency',
      dependency: upstream,
      own: salesSet,
      input: upstream,
      partition: '2024-02-10|eu',
      reads: ['2024-02-10'],
      fanIn: false,
    },
  ];
  it.each(cases)('$name', ({ dependency, own, input, partition, reads, fanIn }) => {
    const dependant = reader('dependant', own, input);
    const definitions = defineAssets([dependency, dependant]);
    const dep = definitions.dependencies.get(dependant.key)![0]!;
    expect(isFanInMapping(dep.mapping)).toBe(fanIn);
    const read = dependencyPartitions(dep, partition, viewOf(dependency.partitions!), viewOf(own));
    expect([...read]).toEqual(reads);
  });
});

describe('pairs refused', () => {
  const upstream = source('up', daily);
  const sales = source('sales', salesSet);
  const hourly = source('hourly', hourlyPartitions({ start: '2024-01-01' }));
  const cases: ReadonlyArray<{
    name: string;
    dependant: AnyAssetDefinition;
    dependency: AnyAssetDefinition;
    message: string;
  }> = [
    {
      name: 'a positive offset',
      dependency: upstream,
      dependant: reader('r', daily, timeWindowOffset(upstream, 1)),
      message: 'asset r, input input (up): the window offset must be an integer <= 0, got 1',
    },
    {
      name: 'an offset across different sets',
      dependency: upstream,
      dependant: reader('r', monthly, timeWindowOffset(upstream, -1)),
      message:
        'asset r, input input (up): a window offset needs the same time-window partitions on both sides',
    },
    {
      name: 'an offset of static partitions',
      dependency: source('s', regions),
      dependant: reader('r', regions, timeWindowOffset(source('s', regions), -1)),
      message: 'timeWindowOffset() needs s partitioned by one time-window set',
    },
    {
      name: 'monthly reading daily one to one',
      dependency: upstream,
      dependant: reader('r', monthly, upstream),
      message:
        'asset r, input input (up): r and daily windows (UTC) of up have different partitions that cannot be matched one to one',
    },
    {
      name: 'within coarser windows',
      dependency: source('m', monthly),
      dependant: reader('r', daily, timeWindowsWithin(source('m', monthly))),
      message:
        'timeWindowsWithin() needs finer or equal calendar windows of the same timezone in m than in r',
    },
    {
      name: 'days of another timezone',
      dependency: source('d', dailyBerlin),
      dependant: reader('r', monthly, timeWindowsWithin(source('d', dailyBerlin))),
      message: 'timeWindowsWithin() needs finer or equal calendar windows of the same timezone',
    },
    {
      name: 'cron windows in months',
      dependency: source('c', cronPartitions('0 6 * * *', { start: '2024-01-01' })),
      dependant: reader(
        'r',
        monthly,
        source('c', cronPartitions('0 6 * * *', { start: '2024-01-01' })),
      ),
      message: 'asset r, input input (c): r and cron windows (UTC) of c',
    },
    {
      name: 'a daily asset reading days and regions one to one',
      dependency: sales,
      dependant: reader('r', daily, sales),
      message:
        'asset r, input input (sales): r has no dimension region to read dimension region (static partitions) of sales by',
    },
    {
      name: 'byDimension of an unknown dimension',
      dependency: sales,
      dependant: reader('r', daily, byDimension(sales, { country: 'all' })),
      message: 'asset r, input input (sales): byDimension(): sales has no dimension country',
    },
    {
      name: 'byDimension of a one-dimensional set',
      dependency: upstream,
      dependant: reader('r', daily, byDimension(upstream, { date: 'all' })),
      message: 'byDimension() needs a multi-dimensional dependency, but up is not',
    },
    {
      name: 'an unpartitioned dependant',
      dependency: upstream,
      dependant: asset({
        key: 'r',
        deps: { input: timeWindowOffset(upstream, -1) },
        schema: z.number(),
        compute: () => 1,
      }),
      message: 'asset r, input input (up): r must be partitioned',
    },
    {
      name: 'weeks read as the month containing them',
      dependency: source('m', monthly),
      dependant: reader('r', weekly, source('m', monthly)),
      message: 'r and monthly windows (UTC) of m have different partitions',
    },
    {
      name: 'hours of UTC read as days of Berlin',
      dependency: source('d', dailyBerlin),
      dependant: reader('r', hourly.partitions!, source('d', dailyBerlin)),
      message: 'asset r, input input (d)',
    },
  ];
  it.each(cases)('$name', ({ dependant, dependency, message }) => {
    const define = () => defineAssets([dependency, dependant]);
    expect(define).toThrow(DefinitionError);
    expect(define).toThrow(message);
  });
});

describe('multi-dimensional declarations refused', () => {
  it.each([
    {
      declare: () => multiPartitions({ date: daily }),
      message: 'multiPartitions: 1 dimension given, at least 2 needed',
    },
    {
      declare: () => multiPartitions({ Date: daily, region: regions }),
      message: 'multiPartitions: dimension name "Date" is invalid',
    },
    {
      declare: () => multiPartitions({ date: daily, nested: salesSet as never }),
      message:
        'multiPartitions: dimension nested must be static, dynamic or time-window partitions',
    },
    {
      declare: () => staticPartitions(['a|b']),
      message: 'staticPartitions: partition key "a|b" contains |',
    },
  ])('$message', ({ declare, message }) => {
    expect(declare).toThrow(DefinitionError);
    expect(declare).toThrow(message);
  });
});

it('keys of different time-window sets are told apart by their definition', () => {
  const a: TimeWindowPartitions = dailyPartitions({ start: '2024-01-01' });
  const b = dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' });
  expect(() => defineAssets([source('a', a), reader('b', b, source('a', a))])).toThrow(
    'asset b, input input (a): b and daily windows (UTC) of a have different partitions',
  );
});

describe('time-window and multi-dimensional keys in the selection syntax', () => {
  it.each([
    ['sales[2024-01-01|eu]', ['2024-01-01|eu']],
    ['sales[2024-01-01|eu,2024-01-02|us]', ['2024-01-01|eu', '2024-01-02|us']],
    [
      'events[2024-10-27T02:00+02:00,2024-10-27T02:00+01:00]',
      ['2024-10-27T02:00+02:00', '2024-10-27T02:00+01:00'],
    ],
    ['totals[2024-03]', ['2024-03']],
  ])('%s', (text, partitions) => {
    expect(parseSelection(text).terms[0]!.partitions).toEqual(partitions);
  });
});

it('types ctx.inputs: an offset may be undefined, within and byDimension are records', () => {
  const up = asset({ key: 'typed_up', partitions: daily, schema: z.number(), compute: () => 1 });
  const sales = asset({
    key: 'typed_sales',
    partitions: salesSet,
    schema: z.string(),
    compute: () => 'x',
  });
  asset({
    key: 'typed_reader',
    partitions: monthly,
    deps: {
      previous: timeWindowOffset(up, -1),
      days: timeWindowsWithin(up),
      regions: byDimension(sales, { region: 'all' }),
    },
    schema: z.number(),
    compute: ({ inputs }) => {
      expectTypeOf(inputs.previous).toEqualTypeOf<number | undefined>();
      expectTypeOf(inputs.days).toEqualTypeOf<Readonly<Record<string, number>>>();
      expectTypeOf(inputs.regions).toEqualTypeOf<Readonly<Record<string, string>>>();
      return 1;
    },
  });
});

describe('dimension keys of a multi-dimensional key', () => {
  it('names each dimension key', () => {
    expect(dimensionKeysOf(salesSet, '2024-01-01|eu')).toEqual({
      date: '2024-01-01',
      region: 'eu',
    });
  });
  it('refuses a key of another shape, naming the dimensions', () => {
    expect(() => dimensionKeysOf(salesSet, '2024-01-01')).toThrow(
      'partition key "2024-01-01" has 1 dimension keys, but the partitions have 2 dimensions (date, region)',
    );
  });
});
