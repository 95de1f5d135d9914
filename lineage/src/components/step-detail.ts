// The selected step of a run: its asset and partition (as written, never re-cased), its outcome
// in words, its materialization, and one table row per attempt (worker or Slurm job, timing,
// error).
import type { RunAttempt, RunStep } from '../api/types.js';
import { describe } from '../charts/gantt.js';
import { stepLabel } from '../charts/gantt-rows.js';
import { h, link } from '../dom.js';
import { formatDuration, formatTime } from '../format.js';
import { routes } from '../router.js';
import { slurmJobText } from './slurm-job.js';
import { badge } from './status-badge.js';

/** The detail of `step` with its `attempts`. */
export function stepDetail(step: RunStep, attempts: readonly RunAttempt[]): HTMLElement[] {
  return [
    h(
      'h3',
      { class: 'step-title' },
      link(routes.asset(step.key), stepLabel(step)),
      ' ',
      badge(step.status),
    ),
    h('p', {}, describe(step)),
    ...(step.materializationId === null
      ? []
      : [
          h(
            'p',
            {},
            'materialization ',
            link(routes.materialization(step.materializationId), `#${step.materializationId}`),
          ),
        ]),
    ...(attempts.length === 0 ? [] : [attemptTable(attempts)]),
  ];
}

function attemptTable(attempts: readonly RunAttempt[]): HTMLElement {
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['attempt', 'status', 'worker', 'started', 'took', 'error'].map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      ...attempts.map((a) =>
        h(
          'tr',
          {},
          h('td', {}, String(a.number)),
          h('td', {}, badge(a.status)),
          h(
            'td',
            {},
            a.workerId,
            a.slurm === null ? null : h('div', { class: 'slurm-job' }, slurmJobText(a.slurm)),
          ),
          h('td', {}, formatTime(a.startedAt)),
          h(
            'td',
            {},
            formatDuration(
              a.finishedAt === null ? null : Date.parse(a.finishedAt) - Date.parse(a.startedAt),
            ),
          ),
          h('td', { class: 'error-text' }, a.error ?? ''),
        ),
      ),
    ),
  );
}
