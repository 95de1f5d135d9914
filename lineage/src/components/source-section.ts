// The asset page's section of a source asset: observed, not computed. How it is observed, when
// its current version was first observed (and which observation recorded it) with its data
// version, and what the automation daemon's latest observation of it found, from the newest
// ticks (an observation that finds the same version, or fails, records no materialization: the
// ticks are where it shows).
import { getJson } from '../api/client.js';
import type { AssetDetail, AutomationTickPage, ObservedEntry } from '../api/types.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatTime, shortHash, timeAgo } from '../format.js';
import { routes } from '../router.js';

/** Ticks searched for the daemon's latest observation of the source. */
const TICKS_SEARCHED = 50;

/** The section of source asset `asset` (null for a computed asset). */
export function sourceSection(asset: AssetDetail, signal: AbortSignal): HTMLElement | null {
  const source = asset.source;
  if (source === null) return null;
  const s = asset.status;
  const latest = asset.partition?.latest ?? null;
  const daemon = h('dd', { class: 'daemon-observation' }, '…');
  void lastDaemonObservation(asset.key, signal).then(
    (found) => replaceChildren(daemon, found),
    () => replaceChildren(daemon, '–'),
  );
  return h(
    'section',
    { class: 'card source-section', 'data-section': 'Source' },
    h('h2', {}, 'Source: observed, not computed'),
    h(
      'p',
      {},
      'An external input: strata never computes it. Each observation reads it and compares the ' +
        'data version it finds with the current one: a new one is recorded (an observation, ' +
        'without a run) and makes what uses it stale; the same one records nothing.',
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'observed'),
      h('dd', {}, source.description),
      ...(asset.partitioned
        ? [
            h('dt', {}, 'partitions observed'),
            h('dd', {}, `${s.fresh} of ${s.total}`),
            h('dt', {}, 'latest new version'),
            h('dd', {}, firstObserved(s.lastMaterializedAt)),
          ]
        : [
            h('dt', {}, 'current version'),
            h(
              'dd',
              { class: 'current-version' },
              latest === null
                ? 'never observed: what uses it cannot be computed until an observation succeeds'
                : [
                    `first observed ${firstObserved(latest.materializedAt)} by `,
                    link(
                      routes.materialization(latest.materializationId),
                      `observation #${latest.materializationId}`,
                    ),
                  ],
            ),
            latest === null
              ? null
              : [
                  h('dt', {}, 'data version'),
                  h('dd', {}, h('code', { class: 'data-version' }, latest.dataVersion)),
                ],
          ]),
      h('dt', {}, 'last daemon observation'),
      daemon,
    ),
  );
}

/** "3 min ago (21 Nov 2026 14:02:11)", or "never". */
function firstObserved(iso: string | null): string {
  return iso === null ? 'never' : `${timeAgo(iso)} (${formatTime(iso)})`;
}

/** What the newest tick that observed `key` found, in words with a link to the ticks. */
async function lastDaemonObservation(key: string, signal: AbortSignal): Promise<Node | string> {
  const page = await getJson<AutomationTickPage>(
    '/api/automation/ticks',
    { limit: TICKS_SEARCHED },
    signal,
  );
  for (const tick of page.items) {
    const entries = tick.observed.filter((entry) => entry.key === key);
    if (entries.length === 0) continue;
    return h(
      'span',
      {},
      `${timeAgo(tick.startedAt)} (tick ${tick.tickId}): `,
      ...entries.map((entry, i) => [i > 0 ? '; ' : '', outcome(entry)]),
      ' · ',
      link(routes.automation(), 'ticks of the daemon'),
    );
  }
  return page.items.length === 0
    ? 'none: no tick of the automation daemon yet'
    : `none in the last ${page.items.length} ticks`;
}

function outcome(entry: ObservedEntry): Node {
  const partitions =
    entry.partitions.length === 0 ? '' : ` (${entry.partitions.length} partitions)`;
  switch (entry.outcome) {
    case 'new':
      return h(
        'span',
        { class: 'observed-new' },
        `new version ${shortHash(entry.dataVersion ?? '')}${partitions}`,
      );
    case 'unchanged':
      return h('span', { class: 'observed-unchanged' }, `unchanged${partitions}`);
    case 'failed':
      return h(
        'span',
        { class: 'observed-failed error-text' },
        `failed${partitions}: ${entry.error ?? 'no message'}`,
      );
  }
}
