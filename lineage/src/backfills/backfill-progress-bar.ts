// A backfill's progress: a stacked bar of its targets (done, failed, held, in flight, pending)
// with "done / targets" beside it and every count in words in its title.
import type { BackfillCounts } from '../api/types.js';
import { h } from '../dom.js';
import { countsInWords } from './backfill-words.js';

/** The parts of the bar, in order, with the class that colours each. */
const PARTS = [
  ['done', 'state-succeeded'],
  ['failed', 'state-failed'],
  ['held', 'state-blocked'],
  ['launched', 'state-running'],
] as const;

/** The bar of `counts`; its data attributes carry the counts (for tests and scripts). */
export function backfillProgressBar(counts: BackfillCounts): HTMLElement {
  const words = countsInWords(counts);
  return h(
    'div',
    {
      class: 'progress backfill-progress',
      title: words,
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': counts.targets,
      'aria-valuenow': counts.done,
      'aria-label': words,
      dataset: {
        targets: String(counts.targets),
        done: String(counts.done),
        failed: String(counts.failed),
        held: String(counts.held),
        remaining: String(counts.remaining),
      },
    },
    h(
      'div',
      { class: 'progress-track' },
      ...PARTS.filter(([part]) => counts[part] > 0).map(([part, colour]) =>
        h('span', {
          class: colour,
          style: { width: `${(counts[part] / Math.max(1, counts.targets)) * 100}%` },
        }),
      ),
    ),
    h('span', { class: 'progress-text' }, `${counts.done}/${counts.targets}`),
  );
}
