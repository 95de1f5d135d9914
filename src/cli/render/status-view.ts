// Human output of `strata status`: an aligned table of assets (with a FRESHNESS column when
// any of them has a freshness policy) and a footer with the totals.
import type { AssetStatusView, StatusDocument } from '../../planner/index.js';
import type { Colors } from './colors.js';
import { freshnessCell } from './freshness-text.js';
import { renderTable } from './table.js';
import { relativeTime } from './time.js';

/** The lines of `strata status`. */
export function renderStatus(
  summary: StatusDocument,
  colors: Colors,
  now: Date,
  verbose: boolean,
): string[] {
  if (summary.assets.length === 0) return ['No assets selected.'];
  const withFreshness = summary.assets.some((asset) => asset.freshness !== null);
  const withChecks = summary.assets.some((asset) => asset.checks !== null);
  const header = [
    'ASSET',
    'STATUS',
    'MATERIALIZED',
    ...(withFreshness ? ['FRESHNESS'] : []),
    ...(withChecks ? ['CHECKS'] : []),
    'CAUSE',
  ].map((h) => colors.bold(h));
  const rows = summary.assets.map((asset) => [
    asset.key,
    statusText(asset, colors),
    asset.lastMaterializedAt === null
      ? colors.dim('never')
      : relativeTime(asset.lastMaterializedAt, now),
    ...(withFreshness ? [freshnessCell(asset, colors, now)] : []),
    ...(withChecks ? [checksCell(asset.checks, colors)] : []),
    causeText(asset, verbose),
  ]);
  const { assets, partitions } = summary.totals;
  const assetCounts = countsText([
    ['fresh', assets.fresh],
    ['stale', assets.stale],
    ['missing', assets.missing],
    ['blocked', assets.blocked],
    ['empty', assets.empty],
  ]);
  const partitionCounts = countsText([
    ['fresh', partitions.fresh],
    ['stale', partitions.stale],
    ['missing', partitions.missing],
    ['blocked', partitions.blocked],
  ]);
  const n = summary.assets.length;
  const footer = `${n} asset${n === 1 ? '' : 's'}: ${assetCounts} (${partitions.total} partition${partitions.total === 1 ? '' : 's'}: ${partitionCounts})`;
  const lines = [...renderTable([header, ...rows]), '', footer];
  const policies = summary.totals.freshness;
  if (withFreshness) {
    const states = countsText([
      ['fail', policies.fail],
      ['warn', policies.warn],
      ['pass', policies.pass],
    ]);
    const n = policies.fail + policies.warn + policies.pass;
    lines.push(`${n} freshness polic${n === 1 ? 'y' : 'ies'}: ${states}`);
  }
  return lines;
}

/** The CHECKS cell: `12 passed`, `1 failed (blocking), 11 passed`, blank without checks. */
function checksCell(checks: AssetStatusView['checks'], colors: Colors): string {
  if (checks === null) return '';
  const parts: string[] = [];
  if (checks.failed > 0)
    parts.push(
      colors.red(
        `${checks.failed} failed${checks.blocking === 0 ? '' : checks.blocking === checks.failed ? ' (blocking)' : ` (${checks.blocking} blocking)`}`,
      ),
    );
  if (checks.warned > 0) parts.push(colors.yellow(`${checks.warned} warned`));
  if (checks.passed > 0) parts.push(colors.green(`${checks.passed} passed`));
  if (checks.notEvaluated > 0) parts.push(colors.dim(`${checks.notEvaluated} not evaluated`));
  return parts.length === 0 ? colors.dim('none yet') : parts.join(', ');
}

/** `fresh`, `stale`, `missing`, or `12 fresh, 3 stale, 1 missing of 16` for partitioned assets. */
export function statusText(asset: AssetStatusView, colors: Colors): string {
  const paint = (status: string, text: string): string =>
    status === 'fresh'
      ? colors.green(text)
      : status === 'stale'
        ? colors.yellow(text)
        : colors.red(text);
  if (!asset.partitioned) return paint(asset.status, asset.status);
  const { fresh, stale, missing, blocked, total } = asset.counts;
  if (total === 0) {
    return colors.dim(
      asset.awaitingProducer === null
        ? 'no partitions'
        : `no partitions until ${asset.awaitingProducer} materializes`,
    );
  }
  const parts: string[] = [];
  if (fresh > 0) parts.push(paint('fresh', `${fresh} fresh`));
  if (stale > 0) parts.push(paint('stale', `${stale} stale`));
  if (missing > 0) parts.push(paint('missing', `${missing} missing`));
  if (blocked > 0) parts.push(paint('blocked', `${blocked} blocked`));
  return parts.length === 1 ? `all ${parts[0]!}` : `${parts.join(', ')} of ${total}`;
}

function causeText(asset: AssetStatusView, verbose: boolean): string {
  if (asset.mainCause === null) return '';
  if (!asset.partitioned || verbose) {
    const first = asset.partitions.find((p) => p.status === 'stale' || p.status === 'blocked')
      ?.causes[0];
    if (
      first !== undefined &&
      (!asset.partitioned || asset.counts.stale + asset.counts.blocked === 1)
    ) {
      return `${first.category}: ${first.reason}`;
    }
  }
  return asset.mainCause;
}

function countsText(counts: readonly (readonly [string, number])[]): string {
  const shown = counts.filter(([, count]) => count > 0).map(([name, count]) => `${count} ${name}`);
  return shown.length === 0 ? 'none' : shown.join(', ');
}
