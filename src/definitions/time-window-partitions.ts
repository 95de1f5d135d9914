// Declaring time-window partitions: hourly, daily, weekly (Monday to Monday), monthly or cron
// windows of an IANA timezone, from a start on, up to an optional end. Which windows exist at an
// instant is answered by time-windows.ts.
import { DefinitionError } from '../errors.js';
import { canonicalTimezone, compileCronSchedule } from './cron-schedule.js';
import type { WallTime } from './wall-clock.js';

/** How long a window is: a calendar unit of the timezone, or the interval between cron ticks. */
export type TimeGranularity = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'cron';

/** Windows of local time, one partition each; keys are the window start (docs/semantics.md). */
export interface TimeWindowPartitions {
  readonly kind: 'time-window';
  readonly granularity: TimeGranularity;
  /** The cron expression whose ticks start the windows (granularity `cron` only). */
  readonly cron?: string;
  /** Local time `YYYY-MM-DDTHH:mm`: the first window starts at or after it. */
  readonly start: WallTime;
  /** Local time: windows ending after it do not exist. */
  readonly end?: WallTime;
  /** Canonical IANA name. */
  readonly timezone: string;
  /**
   * Windows beyond the last complete one that exist too: 0 (the default) only complete
   * windows, 1 also the one in progress, -1 all but the last complete one.
   */
  readonly endOffset: number;
}

/** The options of every time-window set. */
export interface TimeWindowOptions {
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`, local time of `timezone`. */
  readonly start: string;
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`: no window ends after it. */
  readonly end?: string;
  /** IANA timezone; default UTC. */
  readonly timezone?: string;
  /** Windows after the last complete one that exist already (default 0). */
  readonly endOffset?: number;
}

const WALL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

/** A `YYYY-MM-DD[THH:mm]` option as a wall time, or a DefinitionError naming the field. */
function wallOption(where: string, field: string, value: unknown): WallTime {
  const match = typeof value === 'string' ? WALL_PATTERN.exec(value) : null;
  const wall = match ? `${value as string}${match[4] === undefined ? 'T00:00' : ''}` : '';
  const parsed = Date.parse(`${wall}:00Z`);
  if (!match || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 16) !== wall)
    throw new DefinitionError(
      `${where}: ${field} ${JSON.stringify(value)} is not a date YYYY-MM-DD or local time YYYY-MM-DDTHH:mm`,
    );
  return wall;
}

/** Validates the options shared by every granularity. */
function normalize(
  granularity: TimeGranularity,
  options: TimeWindowOptions,
  cron?: string,
): TimeWindowPartitions {
  const where =
    granularity === 'cron' ? `cronPartitions(${JSON.stringify(cron)})` : `${granularity}Partitions`;
  if (typeof options !== 'object' || options === null)
    throw new DefinitionError(`${where}: expected options { start, end?, timezone?, endOffset? }`);
  const start = wallOption(where, 'start', options.start);
  const end = options.end === undefined ? undefined : wallOption(where, 'end', options.end);
  if (end !== undefined && end <= start)
    throw new DefinitionError(`${where}: end ${options.end} is not after start ${options.start}`);
  const timezone = canonicalTimezone(options.timezone ?? 'UTC');
  if (timezone === undefined)
    throw new DefinitionError(`${where}: timezone ${JSON.stringify(options.timezone)} is unknown`, {
      hint: 'use an IANA name such as Europe/Berlin or UTC',
    });
  const endOffset = options.endOffset ?? 0;
  if (!Number.isInteger(endOffset))
    throw new DefinitionError(`${where}: endOffset must be an integer, got ${String(endOffset)}`);
  if (cron !== undefined) {
    try {
      compileCronSchedule(cron, timezone);
    } catch (error) {
      throw new DefinitionError(`${where}: ${(error as Error).message}`);
    }
  }
  return {
    kind: 'time-window',
    granularity,
    ...(cron === undefined ? {} : { cron }),
    start,
    ...(end === undefined ? {} : { end }),
    timezone: timezone === 'Etc/UTC' ? 'UTC' : timezone,
    endOffset,
  };
}

/**
 * One partition per local hour, keyed `2024-03-31T01:00`; the hour skipped when clocks go
 * forward has none, the one repeated when they go back has two, keyed with their UTC offsets
 * (`2024-10-27T02:00+02:00`, `2024-10-27T02:00+01:00`).
 *
 * @example
 * ```ts
 * const hours = hourlyPartitions({ start: '2024-01-01T00:00', timezone: 'Europe/Berlin' });
 * ```
 */
export function hourlyPartitions(options: TimeWindowOptions): TimeWindowPartitions {
  return normalize('hourly', options);
}

/**
 * One partition per local day, keyed `2024-03-31` (23 h long on a spring-forward day). A day
 * exists once it has ended (`endOffset: 1` adds the day in progress).
 *
 * @example
 * ```ts
 * import { asset, dailyPartitions } from 'strata';
 * import { z } from 'zod';
 *
 * const days = dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' });
 * export const orders = asset({
 *   key: 'orders',
 *   partitions: days,
 *   schema: z.number(),
 *   compute: ({ partitionKey }) => countOrdersOn(partitionKey!), // '2024-03-31'
 * });
 * ```
 */
export function dailyPartitions(options: TimeWindowOptions): TimeWindowPartitions {
  return normalize('daily', options);
}

/**
 * One partition per week from Monday 00:00, keyed by the Monday, `2024-03-25`.
 *
 * @example
 * ```ts
 * const weeks = weeklyPartitions({ start: '2024-01-01', end: '2025-01-06' });
 * ```
 */
export function weeklyPartitions(options: TimeWindowOptions): TimeWindowPartitions {
  return normalize('weekly', options);
}

/**
 * One partition per calendar month, keyed `2024-03`.
 *
 * @example
 * ```ts
 * const months = monthlyPartitions({ start: '2024-01-01', timezone: 'America/New_York' });
 * ```
 */
export function monthlyPartitions(options: TimeWindowOptions): TimeWindowPartitions {
  return normalize('monthly', options);
}

/**
 * One partition per interval between ticks of `cron` (read by croner in `timezone`), keyed by
 * its first tick's local time, `2024-01-01T06:00`.
 *
 * @example
 * ```ts
 * const shifts = cronPartitions('0 6,18 * * *', { start: '2024-01-01', timezone: 'Europe/Berlin' });
 * ```
 */
export function cronPartitions(cron: string, options: TimeWindowOptions): TimeWindowPartitions {
  if (typeof cron !== 'string' || cron.trim() === '')
    throw new DefinitionError('cronPartitions: the cron expression is empty');
  return normalize('cron', options, cron);
}

/** The JSON description of a time-window set (identity, snapshots, code-version hashing). */
export function describeTimeWindows(partitions: TimeWindowPartitions): Record<string, unknown> {
  const { granularity, cron, start, end, timezone, endOffset } = partitions;
  return { kind: 'time-window', granularity, cron, start, end, timezone, endOffset };
}
