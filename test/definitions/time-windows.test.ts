// Time-window partitions: which windows exist at an instant across daylight-saving changes in
// two timezones, month lengths, leap years, start and end bounds, end offsets and cron windows;
// the window of a key; and the declarations refused.
import { describe, expect, it } from 'vitest';
import {
  cronPartitions,
  dailyPartitions,
  hourlyPartitions,
  monthlyPartitions,
  partitionKeyProblem,
  timeWindowKeysAt,
  timeWindowOf,
  weeklyPartitions,
  type TimeWindowPartitions,
} from '../../src/definitions/index.js';
import { DefinitionError } from '../../src/errors.js';

const at = (iso: string): number => Date.parse(iso);

describe('windows existing at an instant', () => {
  const cases: ReadonlyArray<{
    name: string;
    set: TimeWindowPartitions;
    now: string;
    keys: readonly string[];
  }> = [
    {
      name: 'Berlin spring forward: 02:00 local does not exist, the day has 23 hours',
      set: hourlyPartitions({ start: '2024-03-31', timezone: 'Europe/Berlin' }),
      now: '2024-03-31T04:00Z', // 06:00 CEST
      keys: [
        '2024-03-31T00:00',
        '2024-03-31T01:00',
        '2024-03-31T03:00',
        '2024-03-31T04:00',
        '2024-03-31T05:00',
      ],
    },
    {
      name: 'Berlin fall back: 02:00 local repeats, both windows carry their offset',
      set: hourlyPartitions({ start: '2024-10-27T01:00', timezone: 'Europe/Berlin' }),
      now: '2024-10-27T03:00Z', // 04:00 CET
      keys: [
        '2024-10-27T01:00',
        '2024-10-27T02:00+02:00',
        '2024-10-27T02:00+01:00',
        '2024-10-27T03:00',
      ],
    },
    {
      name: 'New York spring forward skips 02:00',
      set: hourlyPartitions({ start: '2024-03-10T00:00', timezone: 'America/New_York' }),
      now: '2024-03-10T09:00Z', // 05:00 EDT
      keys: ['2024-03-10T00:00', '2024-03-10T01:00', '2024-03-10T03:00', '2024-03-10T04:00'],
    },
    {
      name: 'New York fall back repeats 01:00',
      set: hourlyPartitions({ start: '2024-11-03T00:00', timezone: 'America/New_York' }),
      now: '2024-11-03T08:00Z', // 03:00 EST
      keys: [
        '2024-11-03T00:00',
        '2024-11-03T01:00-04:00',
        '2024-11-03T01:00-05:00',
        '2024-11-03T02:00',
      ],
    },
    {
      name: 'a Berlin day ends at local midnight: not complete at 23:59 local',
      set: dailyPartitions({ start: '2024-03-30', timezone: 'Europe/Berlin' }),
      now: '2024-03-31T21:59Z', // 23:59 CEST on the 23-hour day
      keys: ['2024-03-30'],
    },
    {
      name: 'the 23-hour Berlin day is complete 23 hours after it began',
      set: dailyPartitions({ start: '2024-03-30', timezone: 'Europe/Berlin' }),
      now: '2024-03-31T22:00Z',
      keys: ['2024-03-30', '2024-03-31'],
    },
    {
      name: 'leap year: February has 29 days',
      set: dailyPartitions({ start: '2024-02-27' }),
      now: '2024-03-02T00:00Z',
      keys: ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01'],
    },
    {
      name: 'no 29 February in 2023',
      set: dailyPartitions({ start: '2023-02-27' }),
      now: '2023-03-02T00:00Z',
      keys: ['2023-02-27', '2023-02-28', '2023-03-01'],
    },
    {
      name: 'months of 31, 30, 29 and 28 days, the month in progress left out',
      set: monthlyPartitions({ start: '2023-01-01' }),
      now: '2023-04-15T00:00Z',
      keys: ['2023-01', '2023-02', '2023-03'],
    },
    {
      name: 'a start inside a month begins with the next month',
      set: monthlyPartitions({ start: '2023-11-15', end: '2024-03-01' }),
      now: '2030-01-01T00:00Z',
      keys: ['2023-12', '2024-01', '2024-02'],
    },
    {
      name: 'the end bound: no window ends after it',
      set: dailyPartitions({ start: '2024-01-01', end: '2024-01-04T12:00' }),
      now: '2030-01-01T00:00Z',
      keys: ['2024-01-01', '2024-01-02', '2024-01-03'],
    },
    {
      name: 'weeks from Monday, a Wednesday start begins the next Monday',
      set: weeklyPartitions({ start: '2024-01-03' }),
      now: '2024-01-29T00:00Z',
      keys: ['2024-01-08', '2024-01-15', '2024-01-22'],
    },
    {
      name: 'endOffset 1 adds the window in progress',
      set: dailyPartitions({ start: '2024-01-01', endOffset: 1 }),
      now: '2024-01-03T10:00Z',
      keys: ['2024-01-01', '2024-01-02', '2024-01-03'],
    },
    {
      name: 'endOffset -1 leaves out the last complete window',
      set: dailyPartitions({ start: '2024-01-01', endOffset: -1 }),
      now: '2024-01-03T10:00Z',
      keys: ['2024-01-01'],
    },
    {
      name: 'Tokyo days (no DST) end at 15:00 UTC',
      set: dailyPartitions({ start: '2024-01-01', timezone: 'Asia/Tokyo' }),
      now: '2024-01-02T15:00Z',
      keys: ['2024-01-01', '2024-01-02'],
    },
    {
      name: 'cron windows: between ticks, keyed by the tick in local time',
      set: cronPartitions('0 6,18 * * *', { start: '2024-01-01', timezone: 'Europe/Berlin' }),
      now: '2024-01-02T17:00Z', // 18:00 CET: the window from 06:00 just ended
      keys: ['2024-01-01T06:00', '2024-01-01T18:00', '2024-01-02T06:00'],
    },
    {
      name: 'nothing before the first window is complete',
      set: dailyPartitions({ start: '2024-01-01' }),
      now: '2024-01-01T23:59Z',
      keys: [],
    },
  ];
  it.each(cases)('$name', ({ set, now, keys }) => {
    const found = timeWindowKeysAt(set, at(now));
    expect(found).toEqual(keys);
    for (const key of found) expect(partitionKeyProblem(key)).toBeUndefined();
  });
});

describe('the window of a key', () => {
  it.each([
    {
      set: dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' }),
      key: '2024-03-31',
      window: { start: '2024-03-31T00:00', end: '2024-04-01T00:00' },
    },
    {
      set: monthlyPartitions({ start: '2024-01-01' }),
      key: '2024-02',
      window: { start: '2024-02-01T00:00', end: '2024-03-01T00:00' },
    },
    {
      set: hourlyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' }),
      key: '2024-10-27T02:00+01:00',
      window: { start: '2024-10-27T02:00', end: '2024-10-27T03:00' },
    },
    {
      set: hourlyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' }),
      key: '2024-03-31T01:00',
      window: { start: '2024-03-31T01:00', end: '2024-03-31T03:00' },
    },
  ])('$key', ({ set, key, window }) => {
    expect(timeWindowOf(set, key)).toMatchObject({ key, ...window });
  });

  it('has none for a key of no window', () => {
    const set = hourlyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' });
    expect(timeWindowOf(set, '2024-03-31T02:00')).toBeUndefined();
  });
});

describe('declarations refused', () => {
  it.each([
    {
      declare: () => dailyPartitions({ start: '2024-02-30' }),
      message: 'dailyPartitions: start "2024-02-30" is not a date',
    },
    {
      declare: () => dailyPartitions({ start: '1 Jan 2024' }),
      message: 'dailyPartitions: start "1 Jan 2024"',
    },
    {
      declare: () => hourlyPartitions({ start: '2024-01-02', end: '2024-01-01' }),
      message: 'hourlyPartitions: end 2024-01-01 is not after start',
    },
    {
      declare: () => monthlyPartitions({ start: '2024-01-01', timezone: 'Mars/Olympus' }),
      message: 'monthlyPartitions: timezone "Mars/Olympus" is unknown',
    },
    {
      declare: () => weeklyPartitions({ start: '2024-01-01', endOffset: 0.5 }),
      message: 'weeklyPartitions: endOffset must be an integer',
    },
    {
      declare: () => cronPartitions('61 * * * *', { start: '2024-01-01' }),
      message: 'cronPartitions("61 * * * *"):',
    },
  ])('$message', ({ declare, message }) => {
    expect(declare).toThrow(DefinitionError);
    expect(declare).toThrow(message);
  });
});

describe('the answer between two window ends', () => {
  it('is the same array until the next window ends, and computed again for an earlier instant', () => {
    const set = dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' });
    const first = timeWindowKeysAt(set, at('2024-01-03T10:00Z'));
    expect(timeWindowKeysAt(set, at('2024-01-03T22:59Z'))).toBe(first);
    const next = timeWindowKeysAt(set, at('2024-01-03T23:00Z')); // midnight in Berlin
    expect(next).not.toBe(first);
    expect(next).toEqual(['2024-01-01', '2024-01-02', '2024-01-03']);
    expect(timeWindowKeysAt(set, at('2024-01-02T22:59Z'))).toEqual(['2024-01-01']);
  });
});
