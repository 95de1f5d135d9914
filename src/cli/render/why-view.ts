// Human output of `strata why`: the status line, the direct causes, the root causes with
// their own causes, indented, and the freshness against the asset's policy with what must be
// rebuilt to meet it.
import { formatAssetPartition } from '../../graph/index.js';
import type { StaleCause, WhyDocument, WhyFreshness } from '../../planner/index.js';
import type { Colors } from './colors.js';
import { paintFreshness } from './freshness-text.js';
import { relativeTime } from './time.js';

/** The lines of `strata why`. */
export function renderWhy(why: WhyDocument, colors: Colors, now: Date): string[] {
  const target = colors.bold(formatAssetPartition(why.key, why.partition ?? ''));
  const when =
    why.latest === null
      ? ''
      : ` (materialized ${relativeTime(why.latest.materializedAt, now)} as #${why.latest.materializationId})`;
  const freshness = why.freshness;
  const checks = checkLines(why.checks, colors);
  if (why.status === 'fresh') {
    if (freshness === null)
      return [`${target} is ${colors.green('fresh')}${when}: nothing to do.`, ...checks];
    const verdict =
      freshness.state === 'pass'
        ? ': nothing to do.'
        : freshness.state === 'warn'
          ? ', but its freshness policy warns.'
          : ', but it fails its freshness policy.';
    return [
      `${target} is ${colors.green('fresh')}${when}${verdict}`,
      ...checks,
      '',
      ...freshnessLines(freshness, colors),
    ];
  }
  const lines: string[] = [];
  if (why.status === 'missing') {
    lines.push(`${target} is ${colors.red('missing')}: it has never been materialized.`);
  } else if (why.status === 'blocked') {
    lines.push(
      `${target} is ${colors.red('blocked')}${when}: a blocking check failed on it, so nothing reads it until it is rebuilt (--force) or the check passes (strata check).`,
    );
  } else {
    lines.push(`${target} is ${colors.yellow('stale')}${when}.`);
  }
  if (why.causes.length > 0) {
    lines.push('', why.status === 'missing' ? 'Upstream:' : 'Because:');
    lines.push(...causeLines(why.causes, '  '));
  }
  lines.push(...checks);
  if (why.rootCauses.length > 0) {
    lines.push('', 'Root causes (where the changes start):');
    for (const root of why.rootCauses) {
      const name = formatAssetPartition(root.key, root.partition);
      const status = root.status === 'stale' ? colors.yellow('stale') : colors.red(root.status);
      lines.push(
        `  ${name} is ${status}${root.status === 'missing' ? ': never materialized' : ''}`,
      );
      lines.push(...causeLines(root.causes, '    '));
    }
    if (why.rootCausesOmitted > 0) {
      const more = why.rootCausesOmitted;
      lines.push(
        `  ... and ${more} more root cause${more === 1 ? '' : 's'} (strata why --json lists them all)`,
      );
    }
  }
  if (freshness !== null) lines.push('', ...freshnessLines(freshness, colors));
  return lines;
}

/** `Freshness (maxLag 6h): fail, overdue by ...` and what to rebuild to meet the policy. */
function freshnessLines(freshness: WhyFreshness, colors: Colors): string[] {
  const state = paintFreshness(freshness.state, freshness.state, colors);
  const lines = [`Freshness (${freshness.policy.description}): ${state}, ${freshness.reason}`];
  if (freshness.requirement !== null) {
    lines.push('To meet it, rebuild (in order):');
    for (const required of freshness.requirement.rebuild) {
      // Its inputs are unchanged, so only --force makes a run compute it again.
      const note = required.refresh ? ' (its inputs are unchanged: rebuild it with --force)' : '';
      lines.push(`  - ${required.reason}${note}`);
    }
  }
  return lines;
}

/** `Checks:` and one line per verdict on the latest materialization (nothing without checks). */
function checkLines(checks: WhyDocument['checks'], colors: Colors): string[] {
  if (checks.length === 0) return [];
  return [
    '',
    'Checks:',
    ...checks.map((verdict) => {
      const outcome = verdict.passed
        ? colors.green('passed')
        : verdict.severity === 'warn'
          ? colors.yellow('warned')
          : colors.red(verdict.blocking ? 'failed (blocking)' : 'failed');
      const found = verdict.description === null ? '' : `: ${verdict.description}`;
      return `  - ${verdict.check} ${outcome}${found}`;
    }),
  ];
}

function causeLines(causes: readonly StaleCause[], indent: string): string[] {
  return causes.map((cause) => `${indent}- ${cause.category}: ${cause.reason}`);
}
