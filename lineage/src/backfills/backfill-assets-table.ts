// A backfill's progress per asset: one row per asset in dependency order with its targets, done,
// failed, held, remaining (in flight) and a bar; each key links to the asset's page.
import type { BackfillAsset } from '../api/types.js';
import { h, link } from '../dom.js';
import { routes } from '../router.js';
import { backfillProgressBar } from './backfill-progress-bar.js';

const COLUMNS = [
  'asset',
  'targets',
  'done',
  'failed',
  'held',
  'remaining',
  'in flight',
  'progress',
];

/** The table of `assets`. */
export function backfillAssetsTable(assets: readonly BackfillAsset[]): HTMLElement {
  const num = (value: number, field: string): HTMLElement =>
    h('td', { class: 'num', 'data-field': field }, value);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'backfill-assets' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...COLUMNS.map((c) =>
            h('th', { class: c === 'asset' || c === 'progress' ? undefined : 'num' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...assets.map((asset) =>
          h(
            'tr',
            { 'data-asset': asset.key },
            h('td', {}, link(routes.asset(asset.key), asset.key)),
            num(asset.targets, 'targets'),
            num(asset.done, 'done'),
            num(asset.failed, 'failed'),
            num(asset.held, 'held'),
            num(asset.remaining, 'remaining'),
            num(asset.launched, 'launched'),
            h('td', {}, backfillProgressBar(asset)),
          ),
        ),
      ),
    ),
  );
}
