// What `strata artifacts gc` prints: the tally of a collection for people (what was found, what
// is kept and why, what would be or was deleted) and as one JSON document for scripts.
import type { GcTally } from '../../artifacts/index.js';
import { declaredDuration } from '../../util/duration-text.js';
import type { Colors } from './colors.js';
import { formatBytes } from './byte-size.js';
import { relativeTime, formatTimestamp } from './time.js';

/** What the views need besides the tally. */
export interface GcViewContext {
  readonly location: string;
  readonly dryRun: boolean;
  readonly minAgeMs: number;
  readonly now: Date;
}

/** `count artifacts (bytes)`. */
function counted(count: { count: number; bytes: number }): string {
  return `${count.count} artifact${count.count === 1 ? '' : 's'} (${formatBytes(count.bytes)})`;
}

/** The line saying what runs in progress protect, if any are. */
export function runningLine(tally: GcTally): string | undefined {
  const running = tally.running;
  if (running === undefined || running.oldestStart === undefined) return undefined;
  return (
    `${running.runs} run${running.runs === 1 ? '' : 's'} and ${running.attempts} attempt${running.attempts === 1 ? '' : 's'} in progress: ` +
    `artifacts stored since ${formatTimestamp(running.oldestStart)} (the oldest started) are kept.`
  );
}

/** The report for people. */
export function renderGcReport(tally: GcTally, view: GcViewContext, colors: Colors): string[] {
  const cutoff = tally.storedBefore === undefined ? '?' : formatTimestamp(tally.storedBefore);
  const lines = [
    `${colors.bold('Artifact store')} ${view.location}${view.dryRun ? ' (dry run: nothing deleted)' : ''}`,
    `  scanned      ${counted(tally.scanned)}`,
    `  referenced   ${counted(tally.referenced)}: kept`,
    `  recent       ${counted(tally.recent)}: kept (stored since ${cutoff}; --min-age ${declaredDuration(view.minAgeMs)})`,
    `  tool output  ${counted(tally.toolOutputs)}: kept (stored while a tool call ran; its server may replay it)`,
    `  garbage      ${counted(tally.garbage)}: unreferenced and stored before ${cutoff}`,
  ];
  const running = runningLine(tally);
  if (running !== undefined) lines.push('', colors.yellow(running));
  if (tally.examples.length > 0) {
    lines.push('', view.dryRun ? 'Would delete, for example:' : 'Deleted, for example:');
    for (const example of tally.examples) {
      lines.push(
        `  ${example.artifact}  ${formatBytes(example.size).padStart(8)}  stored ${relativeTime(example.storedAt, view.now)}`,
      );
    }
  }
  lines.push('');
  if (view.dryRun) {
    lines.push(
      tally.garbage.count === 0
        ? 'Nothing to delete.'
        : `Run \`strata artifacts gc --delete\` (with the same options) to delete ${counted(tally.garbage)}.`,
    );
    return lines;
  }
  lines.push(summaryLine(tally));
  return lines;
}

/** The one-line summary of a collection that deleted (or failed while deleting). */
export function summaryLine(tally: GcTally): string {
  const kept =
    tally.referenced.count + tally.recent.count + tally.toolOutputs.count + tally.keptOnDelete;
  const why = [`${tally.referenced.count} referenced`, `${tally.recent.count} recent`];
  if (tally.toolOutputs.count > 0) why.push(`${tally.toolOutputs.count} tool outputs`);
  if (tally.keptOnDelete > 0) why.push(`${tally.keptOnDelete} stored again meanwhile`);
  const gone = tally.alreadyGone > 0 ? ` ${tally.alreadyGone} were already gone.` : '';
  return `Deleted ${counted(tally.deleted)}, freed ${formatBytes(tally.deleted.bytes)}; kept ${kept} (${why.join(', ')}).${gone}`;
}

/** The report as JSON. */
export function gcReportJson(tally: GcTally, view: GcViewContext): unknown {
  const running = tally.running;
  return {
    store: view.location,
    dryRun: view.dryRun,
    minAgeMs: view.minAgeMs,
    storedBefore: tally.storedBefore?.toISOString() ?? null,
    inProgress: {
      runs: running?.runs ?? 0,
      attempts: running?.attempts ?? 0,
      oldestStart: running?.oldestStart?.toISOString() ?? null,
    },
    scanned: tally.scanned,
    referenced: tally.referenced,
    recent: tally.recent,
    toolOutputs: tally.toolOutputs,
    garbage: tally.garbage,
    examples: tally.examples.map((example) => ({
      artifact: example.artifact,
      size: example.size,
      storedAt: example.storedAt.toISOString(),
    })),
    deleted: tally.deleted,
    keptOnDelete: tally.keptOnDelete,
    alreadyGone: tally.alreadyGone,
  };
}
