// Declaring freshness policies: what asset() accepts and how it normalizes it, and the errors of
// a bad policy, each naming the asset and the field (with the cron library's own message).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  asset,
  defineAssets,
  describeFreshnessPolicy,
  type FreshnessPolicyInput,
} from '../../src/definitions/index.js';
import { DefinitionError } from '../../src/errors.js';

const declare = (freshness: unknown) =>
  asset({
    key: 'metrics',
    schema: z.number(),
    compute: () => 1,
    freshness: freshness as FreshnessPolicyInput,
  });

describe('freshness policies that asset() accepts', () => {
  it.each([
    [
      { maxLag: '6h' },
      { maxLagMs: 21_600_000, warnAfterMs: null, cron: null, timezone: null },
      'maxLag 6h',
    ],
    [
      { maxLag: '90m', warnAfter: '1h' },
      { maxLagMs: 5_400_000, warnAfterMs: 3_600_000, cron: null, timezone: null },
      'maxLag 90m, warnAfter 1h',
    ],
    [
      { maxLag: '2d', cron: '0 6 * * *' },
      { maxLagMs: 172_800_000, warnAfterMs: null, cron: '0 6 * * *', timezone: 'UTC' },
      'maxLag 2d, cron "0 6 * * *" UTC',
    ],
    [
      { maxLag: 60_000, cron: '0 6 * * 1-5', timezone: 'europe/berlin' },
      { maxLagMs: 60_000, warnAfterMs: null, cron: '0 6 * * 1-5', timezone: 'Europe/Berlin' },
      'maxLag 1m, cron "0 6 * * 1-5" Europe/Berlin',
    ],
  ] as const)('%j', (input, policy, description) => {
    const definition = declare(input);
    expect(definition.freshness).toEqual(policy);
    expect(describeFreshnessPolicy(definition.freshness!)).toBe(description);
    expect(defineAssets([definition]).assets.get(definition.key)!.freshness).toEqual(policy);
  });

  it('is undefined without a policy, and does not change the code version', () => {
    const plain = asset({ key: 'metrics', schema: z.number(), compute: () => 1 });
    expect(plain.freshness).toBeUndefined();
    expect(declare({ maxLag: '6h' }).codeVersion).toBe(plain.codeVersion);
  });
});

describe('freshness policy errors', () => {
  const cases: {
    name: string;
    freshness: unknown;
    message: string | RegExp;
    hint?: string | RegExp;
  }[] = [
    {
      name: 'not an object',
      freshness: '6h',
      message: 'asset metrics: freshness must be an object',
      hint: /maxLag: '6h'/,
    },
    {
      name: 'a misspelled field',
      freshness: { maxlag: '6h' },
      message: 'asset metrics: freshness has no field maxlag',
      hint: 'did you mean maxLag?',
    },
    {
      name: 'no maxLag',
      freshness: { warnAfter: '1h' },
      message: 'asset metrics: freshness.maxLag is required',
    },
    {
      name: 'a duration that cannot be read',
      freshness: { maxLag: '6 hours' },
      message: 'asset metrics: freshness.maxLag: cannot read duration "6 hours"',
      hint: 'write a number and a unit: 500ms, 30s, 90m, 6h or 2d',
    },
    {
      name: 'a bad warnAfter duration',
      freshness: { maxLag: '6h', warnAfter: 'soon' },
      message: 'asset metrics: freshness.warnAfter: cannot read duration "soon"',
    },
    {
      name: 'a zero maxLag',
      freshness: { maxLag: '0m' },
      message: 'asset metrics: freshness.maxLag must be more than 0',
    },
    {
      name: 'warnAfter not less than maxLag',
      freshness: { maxLag: '6h', warnAfter: '360m' },
      message: 'asset metrics: freshness.warnAfter (6h) must be less than maxLag (6h)',
      hint: /shorter/,
    },
    {
      name: 'a cron expression with a field out of range (the library says which)',
      freshness: { maxLag: '6h', cron: '0 25 * * *' },
      message:
        'asset metrics: freshness.cron "0 25 * * *" cannot be read: CronPattern: Invalid value for hour: 25',
      hint: /minute hour day-of-month month day-of-week/,
    },
    {
      name: 'a cron expression with too few fields',
      freshness: { maxLag: '6h', cron: '0 6 * *' },
      message:
        /^asset metrics: freshness\.cron "0 6 \* \*" cannot be read: CronPattern: invalid configuration format/,
    },
    {
      name: 'a cron expression that never fires',
      freshness: { maxLag: '6h', cron: '0 0 30 2 *' },
      message: 'asset metrics: freshness.cron "0 0 30 2 *" never fires',
    },
    {
      name: 'an unknown timezone',
      freshness: { maxLag: '6h', cron: '0 6 * * *', timezone: 'Europe/Berln' },
      message: 'asset metrics: freshness.timezone "Europe/Berln" is not a known IANA timezone',
      hint: 'did you mean Europe/Berlin?',
    },
    {
      name: 'a timezone without cron',
      freshness: { maxLag: '6h', timezone: 'UTC' },
      message: 'asset metrics: freshness.timezone is set without cron',
      hint: /add cron, or remove timezone/,
    },
  ];

  it.each(cases)('$name', ({ freshness, message, hint }) => {
    let error: unknown;
    try {
      declare(freshness);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    const { message: actual, hint: actualHint } = error as DefinitionError;
    if (typeof message === 'string') expect(actual).toBe(message);
    else expect(actual).toMatch(message);
    if (hint !== undefined) {
      if (typeof hint === 'string') expect(actualHint).toBe(hint);
      else expect(actualHint).toMatch(hint);
    }
  });
});
