// Automation policies: whether and when the automation daemon rebuilds an asset without anyone
// asking (docs/automation.md). Without a policy an asset is never rebuilt automatically.
// - 'eager': whenever a partition is missing or stale;
// - { onCron, timezone? }: once per tick of a cron schedule, the partitions then missing or stale;
// - 'freshness': before the asset's freshness policy fails, with what that requires upstream.
import { DefinitionError } from '../errors.js';
import { didYouMean } from '../util/closest.js';
import { compileCronSchedule, type CronSchedule } from './cron-schedule.js';
import { validateCronSchedule } from './freshness-policy.js';

/** The policy as declared in asset({ automation }). */
export type AutomationPolicyInput =
  | 'eager'
  | 'freshness'
  | {
      /** Rebuild what is missing or stale once per tick of this cron schedule. */
      readonly onCron: string;
      /** The IANA timezone `onCron` is read in (default UTC). */
      readonly timezone?: string;
    };

/** The policy as the daemon reads it (plain data; the compiled schedule is `automationScheduleOf`). */
export type AutomationPolicy =
  | { readonly kind: 'eager' }
  | { readonly kind: 'on-cron'; readonly cron: string; readonly timezone: string }
  | { readonly kind: 'freshness' };

/** The rule a policy launches by, recorded with each launch ('eager' | 'on-cron' | 'freshness'). */
export type AutomationRule = AutomationPolicy['kind'];

/** What else of the declaration a policy is checked against. */
export interface AutomationContext {
  /** The declared freshness policy (undefined: none); 'freshness' automation needs one. */
  readonly freshness: unknown;
}

const NAMES = ['eager', 'freshness'] as const;
const CRON_FIELDS = ['onCron', 'timezone'] as const;
const SHAPES = `'eager', 'freshness' or { onCron: '0 6 * * *', timezone?: 'Europe/Berlin' }`;

/** Compiled schedules of validated on-cron policies. */
const schedules = new WeakMap<AutomationPolicy, CronSchedule>();

/**
 * Validates a declared policy; `where` names the asset in errors (`asset metrics`). With
 * `context`, 'freshness' automation is refused when the asset declares no freshness policy.
 */
export function normalizeAutomationPolicy(
  input: unknown,
  where: string,
  context?: AutomationContext,
): AutomationPolicy | undefined {
  if (input === undefined) return undefined;
  if (input === 'eager') return { kind: 'eager' };
  if (input === 'freshness') {
    if (context !== undefined && context.freshness === undefined) {
      throw new DefinitionError(
        `${where}: automation 'freshness' needs a freshness policy, and the asset declares none`,
        { hint: "declare one, e.g. freshness: { maxLag: '6h' }, or choose automation: 'eager'" },
      );
    }
    return { kind: 'freshness' };
  }
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    return onCronPolicy(input as Partial<Record<string, unknown>>, `${where}: automation`);
  }
  throw new DefinitionError(
    `${where}: automation must be ${SHAPES}, not ${JSON.stringify(input)}`,
    {
      hint:
        input === 'on-cron' || input === 'onCron' || input === 'cron'
          ? "give the schedule: automation: { onCron: '0 6 * * *' }"
          : typeof input === 'string'
            ? didYouMean(input, NAMES)
            : undefined,
    },
  );
}

/** The compiled schedule of an on-cron policy. */
export function automationScheduleOf(
  policy: Extract<AutomationPolicy, { kind: 'on-cron' }>,
): CronSchedule {
  let schedule = schedules.get(policy);
  if (schedule === undefined) {
    schedule = compileCronSchedule(policy.cron, policy.timezone);
    schedules.set(policy, schedule);
  }
  return schedule;
}

/** The policy in words, e.g. `rebuilt once per tick of cron "0 6 * * *" UTC when missing or stale`. */
export function describeAutomationPolicy(policy: AutomationPolicy): string {
  switch (policy.kind) {
    case 'eager':
      return 'rebuilt whenever a partition is missing or stale';
    case 'on-cron':
      return `rebuilt once per tick of cron "${policy.cron}" ${policy.timezone} when a partition is missing or stale`;
    case 'freshness':
      return 'rebuilt before its freshness policy fails, with what that requires upstream';
  }
}

function onCronPolicy(declared: Partial<Record<string, unknown>>, field: string): AutomationPolicy {
  for (const name of Object.keys(declared)) {
    if (!(CRON_FIELDS as readonly string[]).includes(name)) {
      throw new DefinitionError(`${field} has no field ${name}`, {
        hint: didYouMean(name, CRON_FIELDS) ?? `its fields are ${CRON_FIELDS.join(', ')}`,
      });
    }
  }
  if (declared.onCron === undefined) {
    throw new DefinitionError(`${field}.onCron is required`, {
      hint: "say when to rebuild, e.g. automation: { onCron: '0 6 * * *' } for 06:00 every day",
    });
  }
  const { cron, timezone, schedule } = validateCronSchedule(declared.onCron, declared.timezone, {
    cron: `${field}.onCron`,
    timezone: `${field}.timezone`,
  });
  const policy: AutomationPolicy = { kind: 'on-cron', cron, timezone };
  schedules.set(policy, schedule);
  return policy;
}
