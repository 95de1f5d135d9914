// What a long tool call says while it works: MCP progress notifications (a server sends them
// when the call carries a progress token, which the SDK adds when the caller listens), written to
// the step's log so `strata materialize`, the run's events and the browser show that a 4-hour
// solve is alive and how far it is. The first notification of a call is logged at once, then at
// most one per interval (a server may report every second; the log keeps a line per half minute).
import type { Progress } from '@modelcontextprotocol/sdk/types.js';

/** How often, at most, a call's progress is logged after its first notification (ms). */
export const TOOL_PROGRESS_LOG_MS = 30_000;

/** The log line of a progress notification of `server`.`tool`. */
export function progressLine(server: string, tool: string, progress: Progress): string {
  const said = progress.message?.trim();
  if (said !== undefined && said !== '') return `${server}.${tool}: ${said}`;
  const of = progress.total === undefined ? '' : ` of ${progress.total}`;
  return `${server}.${tool}: progress ${progress.progress}${of}`;
}

/**
 * A progress handler for one call that passes `log` the first notification and then one per
 * `everyMs` at most (`now` is the clock, ms).
 */
export function throttledProgress(
  server: string,
  tool: string,
  log: (line: string, data: Readonly<Record<string, unknown>>) => void,
  everyMs: number = TOOL_PROGRESS_LOG_MS,
  now: () => number = Date.now,
): (progress: Progress) => void {
  let last: number | undefined;
  return (progress) => {
    const at = now();
    if (last !== undefined && at - last < everyMs) return;
    last = at;
    log(progressLine(server, tool, progress), {
      server,
      tool,
      progress: progress.progress,
      ...(progress.total === undefined ? {} : { total: progress.total }),
    });
  };
}
