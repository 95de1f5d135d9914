// Freshness policies: how old an asset's latest materialization may get ("never more than 6 h
// behind"), optionally judged at the ticks of a cron schedule ("by 06:00 every day"). Declared
// here and validated with errors naming the asset and the field; evaluated by the planner
// (docs/semantics.md, "Freshness").
import { DefinitionError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import { declaredDuration } from '../util/duration-text.js';
import { canonicalTimezone, compileCronSchedule, type CronSchedule } from './cron-schedule.js';
import { parseDuration, type Duration } from './duration.js';

/** A freshness policy as a user declares it. */
export interface FreshnessPolicyInput {
  /** Fail once the latest materialization is older than this (at a cron tick, with `cron`). */
  readonly maxLag: Duration;
  /** Warn once it is older than this; less than maxLag. */
  readonly warnAfter?: Duration;
  /** Judge the lag at the ticks of this schedule: each tick is a deadline. */
  readonly cron?: string;
  /** The IANA timezone `cron` is read in (default UTC). */
  readonly timezone?: string;
}

/** A validated freshness policy: plain data (the compiled schedule is `cronScheduleOf`). */
export interface FreshnessPolicy {
  readonly maxLagMs: number;
  readonly warnAfterMs: number | null;
  readonly cron: string | null;
  /** Set exactly when `cron` is (UTC unless declared), in its canonical spelling. */
  readonly timezone: string | null;
}

const FIELDS = ['maxLag', 'warnAfter', 'cron', 'timezone'] as const;

/** Compiled schedules of validated policies, so evaluation never parses an expression again. */
const schedules = new WeakMap<FreshnessPolicy, CronSchedule>();

/** Validates a declared policy; `where` names the asset in errors (`asset metrics`). */
export function normalizeFreshnessPolicy(input: unknown, where: string): FreshnessPolicy {
  const field = `${where}: freshness`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new DefinitionError(`${field} must be an object`, {
      hint: "declare it as { maxLag: '6h', warnAfter?: '4h', cron?: '0 6 * * *', timezone?: 'Europe/Berlin' }",
    });
  }
  const declared = input as Partial<Record<string, unknown>>;
  for (const name of Object.keys(declared)) {
    if (!(FIELDS as readonly string[]).includes(name)) {
      throw new DefinitionError(`${field} has no field ${name}`, {
        hint: didYouMean(name, FIELDS) ?? `its fields are ${FIELDS.join(', ')}`,
      });
    }
  }
  if (declared.maxLag === undefined) {
    throw new DefinitionError(`${field}.maxLag is required`, {
      hint: "say how old the latest materialization may get, e.g. maxLag: '6h'",
    });
  }
  const maxLagMs = durationField(declared.maxLag, `${field}.maxLag`);
  if (maxLagMs === 0) {
    throw new DefinitionError(`${field}.maxLag must be more than 0`, {
      hint: 'a policy with no lag at all would always fail',
    });
  }
  const warnAfterMs =
    declared.warnAfter === undefined
      ? null
      : durationField(declared.warnAfter, `${field}.warnAfter`);
  if (warnAfterMs !== null && warnAfterMs >= maxLagMs) {
    throw new DefinitionError(
      `${field}.warnAfter (${declaredDuration(warnAfterMs)}) must be less than maxLag (${declaredDuration(maxLagMs)})`,
      { hint: 'warnAfter warns before the policy fails, so it must be the shorter of the two' },
    );
  }
  const { cron, timezone, schedule } = scheduleFields(declared, field);
  const policy: FreshnessPolicy = { maxLagMs, warnAfterMs, cron, timezone };
  if (schedule !== undefined) schedules.set(policy, schedule);
  return policy;
}

/** The compiled cron schedule of a validated policy, or undefined without `cron`. */
export function cronScheduleOf(policy: FreshnessPolicy): CronSchedule | undefined {
  if (policy.cron === null) return undefined;
  let schedule = schedules.get(policy);
  if (schedule === undefined) {
    schedule = compileCronSchedule(policy.cron, policy.timezone ?? 'UTC');
    schedules.set(policy, schedule);
  }
  return schedule;
}

/** The policy in words: `maxLag 6h, warnAfter 4h, cron "0 6 * * *" Europe/Berlin`. */
export function describeFreshnessPolicy(policy: FreshnessPolicy): string {
  const parts = [`maxLag ${declaredDuration(policy.maxLagMs)}`];
  if (policy.warnAfterMs !== null) parts.push(`warnAfter ${declaredDuration(policy.warnAfterMs)}`);
  if (policy.cron !== null) parts.push(`cron "${policy.cron}" ${policy.timezone ?? 'UTC'}`);
  return parts.join(', ');
}

function durationField(value: unknown, where: string): number {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new DefinitionError(`${where} must be a duration such as '6h', got ${typeof value}`);
  }
  return parseDuration(value, where);
}

function scheduleFields(
  declared: Partial<Record<string, unknown>>,
  field: string,
): { cron: string | null; timezone: string | null; schedule: CronSchedule | undefined } {
  const { cron, timezone: declaredTimezone } = declared;
  if (cron === undefined) {
    if (declaredTimezone !== undefined) {
      throw new DefinitionError(`${field}.timezone is set without cron`, {
        hint: 'timezone says where the times of cron are read: add cron, or remove timezone',
      });
    }
    return { cron: null, timezone: null, schedule: undefined };
  }
  return validateCronSchedule(cron, declaredTimezone, {
    cron: `${field}.cron`,
    timezone: `${field}.timezone`,
  });
}

/**
 * Validates a cron expression and the IANA timezone it is read in (UTC when undefined), naming
 * the fields in errors (`asset metrics: freshness.cron`). Automation policies use it too.
 */
export function validateCronSchedule(
  cron: unknown,
  declaredTimezone: unknown,
  fields: { readonly cron: string; readonly timezone: string },
): { cron: string; timezone: string; schedule: CronSchedule } {
  if (typeof cron !== 'string' || cron.trim() === '') {
    throw new DefinitionError(`${fields.cron} must be a cron expression such as '0 6 * * *'`);
  }
  let timezone = 'UTC';
  if (declaredTimezone !== undefined) {
    const canonical =
      typeof declaredTimezone === 'string' ? canonicalTimezone(declaredTimezone) : undefined;
    if (canonical === undefined) {
      throw new DefinitionError(
        `${fields.timezone} ${JSON.stringify(declaredTimezone)} is not a known IANA timezone`,
        {
          hint:
            (typeof declaredTimezone === 'string'
              ? didYouMean(declaredTimezone, [...Intl.supportedValuesOf('timeZone'), 'UTC'])
              : undefined) ?? "write a name such as 'Europe/Berlin', 'America/New_York' or 'UTC'",
        },
      );
    }
    timezone = canonical;
  }
  let schedule: CronSchedule;
  try {
    schedule = compileCronSchedule(cron, timezone);
  } catch (error) {
    throw new DefinitionError(
      `${fields.cron} ${JSON.stringify(cron)} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        hint: "five fields: minute hour day-of-month month day-of-week, e.g. '0 6 * * *' for 06:00 every day",
      },
    );
  }
  // Without a year field a schedule that fires once fires every year, so any start will do.
  if (schedule.firstTickAfter(0) === null) {
    throw new DefinitionError(`${fields.cron} ${JSON.stringify(cron)} never fires`, {
      hint: 'check the day of month against the month (e.g. 30 February does not exist)',
    });
  }
  return { cron, timezone, schedule };
}
