// Human output of `strata why`: the status line, the direct causes, and the root causes with
// their own causes, indented.
import { formatAssetPartition } from '../../graph/index.js';
import type { StaleCause } from '../../planner/index.js';
import type { WhyJson } from '../commands/why.js';
import type { Colors } from './colors.js';
import { relativeTime } from './time.js';

/** The lines of `strata why`. */
export function renderWhy(why: WhyJson, colors: Colors, now: Date): string[] {
  const target = colors.bold(formatAssetPartition(why.key, why.partition ?? ''));
  const when =
    why.latest === null
      ? ''
      : ` (materialized ${relativeTime(why.latest.materializedAt, now)} as #${why.latest.materializationId})`;
  if (why.status === 'fresh')
    return [`${target} is ${colors.green('fresh')}${when}: nothing to do.`];
  const lines: string[] = [];
  if (why.status === 'missing') {
    lines.push(`${target} is ${colors.red('missing')}: it has never been materialized.`);
  } else {
    lines.push(`${target} is ${colors.yellow('stale')}${when}.`);
  }
  if (why.causes.length > 0) {
    lines.push('', why.status === 'missing' ? 'Upstream:' : 'Because:');
    lines.push(...causeLines(why.causes, '  '));
  }
  if (why.rootCauses.length > 0) {
    lines.push('', 'Root causes (where the changes start):');
    for (const root of why.rootCauses) {
      const name = formatAssetPartition(root.key, root.partition);
      const status = root.status === 'missing' ? colors.red('missing') : colors.yellow('stale');
      lines.push(
        `  ${name} is ${status}${root.status === 'missing' ? ': never materialized' : ''}`,
      );
      lines.push(...causeLines(root.causes, '    '));
    }
  }
  return lines;
}

function causeLines(causes: readonly StaleCause[], indent: string): string[] {
  return causes.map((cause) => `${indent}- ${cause.category}: ${cause.reason}`);
}
