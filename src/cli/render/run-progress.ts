// Live progress of a run: a status line rewritten in place on a terminal, or one line per
// event when output is a pipe or a log file.
import type { RunProgress } from '../../executor/index.js';
import { formatAssetPartition } from '../../graph/index.js';
import { outputStreamOf, type EventKind, type EventRow } from '../../store/index.js';
import type { OutputStream } from '../io.js';
import type { Colors } from './colors.js';
import { formatDuration } from './time.js';

/**
 * Which events get a line of their own in non-terminal output (and with --verbose on a
 * terminal, where warnings and errors always do). Every kind is listed, so a new kind of event
 * is a decision here, not an oversight.
 */
const SHOWN: { readonly [K in EventKind]: boolean } = {
  run_started: true,
  run_expanded: true,
  step_partition_busy: false,
  step_needs_other_code: false,
  step_submitted: true,
  step_materialized: true,
  check_evaluated: true,
  step_reused: true,
  step_fresh: true,
  step_retry_scheduled: true,
  step_failed: true,
  step_skipped: true,
  step_canceled: true,
  attempt_lost: true,
  log: true,
  run_canceled: true,
  run_resumed: true,
  run_finished: false,
};

/**
 * The text of an event's line. An event of a step starts with the step's `asset[partition]`:
 * messages that do not name it themselves (log lines, lost attempts, skips) get it as a prefix,
 * and a line the compute wrote to stdout or stderr also names its stream
 * (`mesh[d01] stderr: …`).
 */
export function eventText(event: EventRow): string {
  if (event.asset_key === null) return event.message;
  const step = formatAssetPartition(event.asset_key, event.partition_key ?? '');
  const stream = outputStreamOf(event.kind, event.data);
  if (stream !== null) return `${step} ${stream}: ${event.message}`;
  const named =
    event.kind !== 'log' &&
    [' ', ':'].includes(event.message.charAt(step.length)) &&
    event.message.startsWith(step);
  return named ? event.message : `${step}: ${event.message}`;
}

function eventLine(event: EventRow, colors: Colors): string {
  const text = eventText(event);
  if (event.level === 'error') return colors.red(text);
  if (event.level === 'warn') return colors.yellow(text);
  if (event.kind === 'step_fresh' || event.kind === 'step_reused') return colors.dim(text);
  return text;
}

function statusLine(progress: RunProgress, elapsedMs: number, colors: Colors): string {
  const c = progress.counts;
  const done = (c.succeeded ?? 0) + (c.reused ?? 0) + (c.fresh ?? 0);
  const parts = [
    `run ${progress.runId}`,
    `${done + (c.failed ?? 0) + (c.skipped ?? 0) + (c.canceled ?? 0)}/${progress.total} steps`,
    `${c.running ?? 0} running`,
    colors.green(`${c.succeeded ?? 0} computed`),
    `${c.reused ?? 0} reused`,
    `${c.fresh ?? 0} cut off`,
  ];
  if (c.retrying) parts.push(colors.yellow(`${c.retrying} retrying`));
  if (c.failed) parts.push(colors.red(`${c.failed} failed`));
  if (c.skipped) parts.push(colors.yellow(`${c.skipped} skipped`));
  parts.push(formatDuration(elapsedMs));
  return parts.join(' · ');
}

/** Renders progress to `stream`; call finish() before printing anything else. */
export function progressRenderer(
  stream: OutputStream,
  colors: Colors,
  verbose: boolean,
): { update(progress: RunProgress): void; finish(): void } {
  const started = Date.now();
  const live = stream.isTTY === true;
  let last: RunProgress | undefined;
  let timer: NodeJS.Timeout | undefined;
  const redraw = (): void => {
    if (last) stream.write(`\r\u001b[2K${statusLine(last, Date.now() - started, colors)}`);
  };
  return {
    update(progress) {
      last = progress;
      if (live) {
        for (const event of progress.events) {
          if (event.level === 'error' || event.level === 'warn' || (verbose && SHOWN[event.kind])) {
            stream.write(`\r\u001b[2K${eventLine(event, colors)}\n`);
          }
        }
        redraw();
        timer ??= setInterval(redraw, 250);
        timer.unref();
      } else {
        for (const event of progress.events) {
          if (SHOWN[event.kind])
            stream.write(`${event.created_at.toISOString()} ${eventLine(event, colors)}\n`);
        }
      }
    },
    finish() {
      if (timer) clearInterval(timer);
      if (live && last) stream.write(`\r\u001b[2K`);
    },
  };
}
