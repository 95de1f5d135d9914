// asset({ automation }): the policies the daemon understands ('eager', { onCron, timezone? },
// 'freshness'), their normal form and schedule, and clear errors for the rest, each naming the
// asset and the field.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  asset,
  automationScheduleOf,
  describeAutomationPolicy,
  normalizeAutomationPolicy,
  type AutomationPolicy,
} from '../../src/definitions/index.js';
import { DefinitionError } from '../../src/errors.js';

/** An asset `metrics` with `automation` and a freshness policy (none: null). */
const declare = (automation: unknown, freshness: object | null = { maxLag: '6h' }) =>
  asset({
    key: 'metrics',
    schema: z.number(),
    codeVersion: '1',
    // Deliberately unchecked: the cases include what TypeScript would refuse.
    ...({ automation, ...(freshness === null ? {} : { freshness }) } as object),
    compute: () => 1,
  });

describe('asset({ automation })', () => {
  it.each([
    { automation: undefined, policy: undefined },
    { automation: 'eager', policy: { kind: 'eager' } },
    { automation: 'freshness', policy: { kind: 'freshness' } },
    {
      automation: { onCron: '0 6 * * *' },
      policy: { kind: 'on-cron', cron: '0 6 * * *', timezone: 'UTC' },
    },
    {
      automation: { onCron: '30 5 * * 1-5', timezone: 'europe/berlin' },
      policy: { kind: 'on-cron', cron: '30 5 * * 1-5', timezone: 'Europe/Berlin' },
    },
  ])('$automation is $policy', ({ automation, policy }) => {
    expect(declare(automation).automation).toEqual(policy);
  });

  it('compiles the schedule of an on-cron policy in its timezone', () => {
    const policy = declare({ onCron: '0 6 * * *', timezone: 'Europe/Berlin' }).automation;
    if (policy?.kind !== 'on-cron') throw new Error('not on-cron');
    const schedule = automationScheduleOf(policy);
    // 06:00 in Berlin is 05:00 UTC in winter and 04:00 UTC in summer.
    expect(
      new Date(schedule.latestTickAtOrBefore(Date.parse('2025-01-15T12:00:00Z'))!).toISOString(),
    ).toBe('2025-01-15T05:00:00.000Z');
    expect(
      new Date(schedule.latestTickAtOrBefore(Date.parse('2025-07-15T04:00:00Z'))!).toISOString(),
    ).toBe('2025-07-15T04:00:00.000Z');
    expect(automationScheduleOf(policy)).toBe(schedule);
  });

  it.each([
    {
      automation: 'sometimes',
      message: `asset metrics: automation must be 'eager', 'freshness' or { onCron: '0 6 * * *', timezone?: 'Europe/Berlin' }, not "sometimes"`,
      hint: undefined,
    },
    {
      automation: 42,
      message: `asset metrics: automation must be 'eager', 'freshness' or { onCron: '0 6 * * *', timezone?: 'Europe/Berlin' }, not 42`,
      hint: undefined,
    },
    { automation: 'eagre', message: 'not "eagre"', hint: 'did you mean eager?' },
    {
      automation: 'on-cron',
      message: 'not "on-cron"',
      hint: "give the schedule: automation: { onCron: '0 6 * * *' }",
    },
    {
      automation: {},
      message: 'asset metrics: automation.onCron is required',
      hint: "say when to rebuild, e.g. automation: { onCron: '0 6 * * *' } for 06:00 every day",
    },
    {
      automation: { onCorn: '0 6 * * *' },
      message: 'asset metrics: automation has no field onCorn',
      hint: 'did you mean onCron?',
    },
    {
      automation: { onCron: '' },
      message: `asset metrics: automation.onCron must be a cron expression such as '0 6 * * *'`,
      hint: undefined,
    },
    {
      automation: { onCron: '0 25 * * *' },
      message: 'asset metrics: automation.onCron "0 25 * * *" cannot be read: ',
      hint: "five fields: minute hour day-of-month month day-of-week, e.g. '0 6 * * *' for 06:00 every day",
    },
    {
      automation: { onCron: '0 6 30 2 *' },
      message: 'asset metrics: automation.onCron "0 6 30 2 *" never fires',
      hint: 'check the day of month against the month (e.g. 30 February does not exist)',
    },
    {
      automation: { onCron: '0 6 * * *', timezone: 'Europe/Berln' },
      message: 'asset metrics: automation.timezone "Europe/Berln" is not a known IANA timezone',
      hint: 'did you mean Europe/Berlin?',
    },
  ])('refuses $automation', ({ automation, message, hint }) => {
    let error: unknown;
    try {
      declare(automation);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).message).toContain(message);
    expect((error as DefinitionError).hint).toBe(hint);
  });
});

describe('describeAutomationPolicy', () => {
  it.each([
    ['eager', 'rebuilt whenever a partition is missing or stale'],
    [
      { onCron: '0 6 * * *', timezone: 'Europe/Berlin' },
      'rebuilt once per tick of cron "0 6 * * *" Europe/Berlin when a partition is missing or stale',
    ],
    ['freshness', 'rebuilt before its freshness policy fails, with what that requires upstream'],
  ])('%j', (automation, words) => {
    expect(describeAutomationPolicy(declare(automation).automation!)).toBe(words);
  });
});

describe('freshness-driven automation needs a freshness policy', () => {
  it('is a definition error naming the asset', () => {
    const declareWithout = () => declare('freshness', null);
    expect(declareWithout).toThrow(DefinitionError);
    expect(declareWithout).toThrow(
      "asset metrics: automation 'freshness' needs a freshness policy, and the asset declares none",
    );
  });

  const cases: { freshness: unknown; policy?: AutomationPolicy; error?: string }[] = [
    { freshness: { maxLag: '6h' }, policy: { kind: 'freshness' } },
    {
      freshness: undefined,
      error:
        "asset metrics: automation 'freshness' needs a freshness policy, and the asset declares none",
    },
  ];
  it.each(cases)('freshness $freshness', ({ freshness, policy, error }) => {
    const normalize = () => normalizeAutomationPolicy('freshness', 'asset metrics', { freshness });
    if (error === undefined) expect(normalize()).toEqual(policy);
    else {
      expect(normalize).toThrow(DefinitionError);
      expect(normalize).toThrow(error);
    }
  });

  it('is checked only against a declaration it is given', () => {
    expect(normalizeAutomationPolicy('eager', 'asset metrics', { freshness: undefined })).toEqual({
      kind: 'eager',
    });
    expect(normalizeAutomationPolicy('freshness', 'asset metrics')).toEqual({
      kind: 'freshness',
    });
  });
});
