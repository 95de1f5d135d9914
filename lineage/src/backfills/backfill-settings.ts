// What a backfill was asked to do and when: its selection, partition filters in the CLI's words
// (--from d03 --to d10, only missing, force), chunk size, runs in flight at most, who created it,
// when, and when it finished (or for how long it has run).
import type { BackfillDetail } from '../api/types.js';
import { h } from '../dom.js';
import { formatDuration, formatTime } from '../format.js';
import { filtersInWords } from './backfill-words.js';

/** The settings as a list of facts. */
export function backfillSettings(backfill: BackfillDetail): HTMLElement {
  const finished = backfill.finishedAt;
  const took =
    (finished === null ? Date.now() : Date.parse(finished)) - Date.parse(backfill.createdAt);
  const fact = (term: string, field: string, value: Node | string): HTMLElement[] => [
    h('dt', {}, term),
    h('dd', { 'data-field': field }, value),
  ];
  return h(
    'dl',
    { class: 'facts backfill-settings' },
    fact('selection', 'selection', h('code', {}, backfill.selection)),
    fact('filters', 'filters', filtersInWords(backfill.options)),
    fact('force', 'force', backfill.options.force === true ? 'yes: fresh partitions too' : 'no'),
    fact(
      'chunk size',
      'chunk-size',
      `${backfill.chunkSize} target${backfill.chunkSize === 1 ? '' : 's'} per run`,
    ),
    fact('max runs', 'max-runs', `at most ${backfill.maxRuns} in flight`),
    fact('created by', 'created-by', backfill.launchedBy ?? '–'),
    fact('created', 'created', formatTime(backfill.createdAt)),
    fact(
      finished !== null ? 'finished' : backfill.status === 'paused' ? 'open for' : 'running for',
      'finished',
      finished === null
        ? formatDuration(took)
        : `${formatTime(finished)} (took ${formatDuration(took)})`,
    ),
  );
}
