// Declaring how a dependant's partition reads time-window and multi-dimensional dependencies:
// an earlier window of the same set (`timeWindowOffset`), the finer windows inside a window
// (`timeWindowsWithin`), or a rule per dimension (`byDimension`). defineAssets() checks them
// against both assets' partitions (resolve-window-mapping.ts).
import type { AnyAssetDefinition } from './asset.js';

/** How one dimension of a dependency is read (byDimension). */
export type DimensionRule =
  /** The dependant's key of the dimension of the same name (same set). */
  | 'identity'
  /** Every key of the dimension. */
  | 'all'
  /** The dependency's windows that start inside the dependant's window (finer windows). */
  | 'within'
  /** The dependency's window containing the dependant's window (coarser windows). */
  | 'containing'
  /** The window `offset` windows earlier (negative) or the same (0) of the same set. */
  | { readonly offset: number };

/** What a time-window or per-dimension declaration asks for, before defineAssets() checks it. */
export type WindowMappingSpec =
  | { readonly kind: 'offset'; readonly offset: number }
  | { readonly kind: 'within' }
  | { readonly kind: 'dimensions'; readonly rules: Readonly<Record<string, DimensionRule>> };

/** One value: the window `offset` windows before the dependant's (none before the first). */
export interface TimeWindowOffsetDependency<A extends AnyAssetDefinition = AnyAssetDefinition> {
  readonly kind: 'time-window-offset';
  readonly asset: A;
  readonly offset: number;
}

/**
 * Reads the window `offset` windows away in the same time-window set (`-1`: the previous day of
 * a daily set, e.g. yesterday's balance); the first window's -1 reads nothing, so the input is
 * `undefined`. Other dimensions of a multi-dimensional set are read one to one.
 *
 * @example
 * ```ts
 * const change = asset({
 *   key: 'balance_change',
 *   partitions: days, // the same dailyPartitions(...) as balance
 *   deps: { yesterday: timeWindowOffset(balance, -1) },
 *   schema: z.number(),
 *   compute: ({ inputs }) => inputs.yesterday ?? 0, // undefined on the first day
 * });
 * ```
 */
export function timeWindowOffset<A extends AnyAssetDefinition>(
  asset: A,
  offset: number,
): TimeWindowOffsetDependency<A> {
  return { kind: 'time-window-offset', asset, offset };
}

/** Fan-in: the finer windows of `asset` inside the dependant's window. */
export interface TimeWindowsWithinDependency<A extends AnyAssetDefinition = AnyAssetDefinition> {
  readonly kind: 'time-windows-within';
  readonly asset: A;
}

/**
 * Fan-in: a partition receives a record key -> value of the windows of `asset` that start inside
 * its own window (a monthly rollup reads every daily window of its month).
 *
 * @example
 * ```ts
 * const monthly = asset({
 *   key: 'orders_monthly',
 *   partitions: monthlyPartitions({ start: '2024-01-01' }),
 *   deps: { days: timeWindowsWithin(orders) }, // orders: dailyPartitions, same timezone
 *   schema: z.number(),
 *   compute: ({ inputs }) => Object.values(inputs.days).reduce((a, b) => a + b, 0),
 * });
 * ```
 */
export function timeWindowsWithin<A extends AnyAssetDefinition>(
  asset: A,
): TimeWindowsWithinDependency<A> {
  return { kind: 'time-windows-within', asset };
}

/** Fan-in with a rule per dimension of a multi-dimensional dependency. */
export interface DimensionsDependency<A extends AnyAssetDefinition = AnyAssetDefinition> {
  readonly kind: 'by-dimension';
  readonly asset: A;
  readonly rules: Readonly<Record<string, DimensionRule>>;
}

/**
 * Fan-in: reads the partitions of a multi-dimensional `asset` chosen dimension by dimension, as
 * a record key -> value. A dimension left out reads the dependant's dimension of the same name
 * one to one (or the window containing it). E.g. a daily asset reading every region of its day:
 * `byDimension(sales, { region: 'all' })`.
 *
 * @example
 * ```ts
 * // sales: multiPartitions({ date: days, region: staticPartitions(['eu', 'us']) })
 * const dailyTotal = asset({
 *   key: 'daily_total',
 *   partitions: days,
 *   deps: { sales: byDimension(sales, { region: 'all' }) }, // { '2024-01-01|eu': …, '2024-01-01|us': … }
 *   schema: z.number(),
 *   compute: ({ inputs }) => Object.values(inputs.sales).reduce((a, b) => a + b, 0),
 * });
 * ```
 */
export function byDimension<A extends AnyAssetDefinition>(
  asset: A,
  rules: Readonly<Record<string, DimensionRule>>,
): DimensionsDependency<A> {
  return { kind: 'by-dimension', asset, rules };
}

/** The spec of a time-window or per-dimension declaration, or undefined for any other input. */
export function windowMappingSpecOf(dependency: unknown): WindowMappingSpec | undefined {
  const kind = (dependency as { kind?: unknown } | null)?.kind;
  if (kind === 'time-window-offset')
    return { kind: 'offset', offset: (dependency as TimeWindowOffsetDependency).offset };
  if (kind === 'time-windows-within') return { kind: 'within' };
  if (kind === 'by-dimension')
    return { kind: 'dimensions', rules: (dependency as DimensionsDependency).rules };
  return undefined;
}
