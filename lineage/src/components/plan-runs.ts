// The runs of an experiment plan, oldest first: one per segment of its pipeline (up to each
// checkpoint, then the rest), each with its status, where it stops, who launched it, when, how
// long and a bar of its steps. The plan page updates a row in place from the live stream's
// progress messages (updatePlanRunRow) and refetches the plan for the rest.
import type { PlanDocument, PlanRun, RunProgress } from '../api/types.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatDuration, formatTime } from '../format.js';
import { routes } from '../router.js';
import { progressBar } from './progress-bar.js';
import { badge } from './status-badge.js';

/** Where a run of the plan stops, in words. */
export function checkpointText(doc: PlanDocument, checkpoint: number | null): string {
  if (checkpoint === null) return "to the plan's end";
  const after = doc.checkpoints[checkpoint]?.after;
  return `to checkpoint ${checkpoint + 1}${after === undefined ? '' : ` (after ${after})`}`;
}

/** The runs table, or a line saying there is none yet. */
export function planRuns(doc: PlanDocument, runs: readonly PlanRun[]): HTMLElement {
  if (runs.length === 0)
    return h(
      'p',
      { class: 'muted no-plan-runs' },
      'No runs yet: executing the plan starts the run of its first segment.',
    );
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'plan-runs' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['run', 'status', 'segment', 'launched by', 'started', 'duration', 'steps'].map((t) =>
            h('th', {}, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...runs.map((run) =>
          h(
            'tr',
            { 'data-run': run.runId, 'data-status': run.status },
            h('td', {}, link(routes.run(run.runId), `run ${run.runId}`)),
            h('td', { class: 'run-status' }, badge(run.status)),
            h('td', { class: 'segment' }, checkpointText(doc, run.checkpoint)),
            h('td', {}, run.launchedBy ?? '–'),
            h('td', {}, formatTime(run.createdAt)),
            h(
              'td',
              { class: 'num' },
              formatDuration(run.durationMs ?? Date.now() - Date.parse(run.createdAt)),
            ),
            h('td', { class: 'run-progress' }, progressBar(run.counts, run.total)),
          ),
        ),
      ),
    ),
  );
}

/** Updates the row of `progress.runId` under `root` in place; false when there is none. */
export function updatePlanRunRow(root: HTMLElement, progress: RunProgress): boolean {
  const row = root.querySelector<HTMLElement>(`tr[data-run="${progress.runId}"]`);
  if (row === null) return false;
  row.dataset.status = progress.status;
  const status = row.querySelector('td.run-status');
  const bar = row.querySelector('td.run-progress');
  if (status !== null) replaceChildren(status, badge(progress.status));
  if (bar !== null) replaceChildren(bar, progressBar(progress.counts, progress.total));
  return true;
}
