// An asset's freshness and automation, as its page shows them: the policy in words, the state,
// how late it is or how long until it is due (kept moving by the page's clock), the deadline,
// the partitions by state (each count filters the partitions grid), and whether the automation
// daemon rebuilds it (a source asset is observed, never rebuilt: its freshness judges its last
// observation, and its own section says how it is observed).
import type { AssetDetail, FreshnessState } from '../api/types.js';
import { h, link } from '../dom.js';
import { formatTime, timeAgo } from '../format.js';
import { countsInWords, FRESHNESS_STATES, lateness, policyInWords } from '../freshness.js';
import { routes } from '../router.js';
import { automationBadge, freshnessBadge } from './freshness-badge.js';

/** The section, and `tick()` which moves "overdue by"/"due in" to the current time. */
export interface FreshnessSection {
  readonly element: HTMLElement;
  tick(now?: number): void;
}

/** The section of `asset`; `onState` shows the partitions in a freshness state. */
export function freshnessSection(
  asset: AssetDetail,
  onState: ((state: FreshnessState) => void) | undefined,
): FreshnessSection {
  const summary = asset.status.freshness;
  // An unpartitioned asset's own judgement says more (materializedAt, warnAt).
  const own = asset.partition?.freshness ?? null;
  const judged = own ?? summary;
  const late = h('span', { class: 'lateness' });
  const tick = (now = Date.now()): void => {
    if (judged !== null) late.textContent = lateness(judged, now);
  };
  tick();
  const automation = asset.automation;
  const source = asset.source;
  const element = h(
    'section',
    { class: 'card freshness-section', 'data-section': 'Freshness' },
    h('h2', {}, source === null ? 'Freshness and automation' : 'Freshness'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'freshness'),
      summary === null || judged === null
        ? h('dd', { class: 'muted' }, 'no freshness policy: it may get as old as it gets')
        : h('dd', { class: 'freshness-state' }, freshnessBadge(summary.state), ' ', late),
      summary === null
        ? null
        : [
            h('dt', {}, 'policy'),
            h(
              'dd',
              { class: 'freshness-policy' },
              policyInWords(summary.policy),
              h('span', { class: 'muted' }, ` (${summary.policy.description})`),
            ),
            h('dt', {}, 'why'),
            h('dd', {}, summary.reason),
            summary.deadline === null
              ? null
              : [
                  h('dt', {}, summary.state === 'fail' ? 'missed deadline' : 'next deadline'),
                  h('dd', {}, formatTime(summary.deadline)),
                ],
            own?.warnAt === null || own?.warnAt === undefined || summary.state !== 'pass'
              ? null
              : [h('dt', {}, 'warns at'), h('dd', {}, formatTime(own.warnAt))],
            own === null || own.materializedAt === null
              ? null
              : [
                  h('dt', {}, source === null ? 'judged materialization' : 'last observation'),
                  h('dd', {}, `${timeAgo(own.materializedAt)} (${formatTime(own.materializedAt)})`),
                ],
            asset.partitioned
              ? [
                  h('dt', {}, 'partitions'),
                  h(
                    'dd',
                    { class: 'freshness-counts', title: countsInWords(summary.counts) },
                    ...FRESHNESS_STATES.map((state) =>
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'count-button',
                          'data-freshness': state,
                          title: `show the partitions in state ${state}`,
                          disabled: onState === undefined || summary.counts[state] === 0,
                          onclick: () => onState?.(state),
                        },
                        freshnessBadge(state, `${summary.counts[state]} ${state}`),
                      ),
                    ),
                    summary.counts.neverMaterialized === 0
                      ? null
                      : h(
                          'span',
                          { class: 'muted' },
                          ` ${summary.counts.neverMaterialized} never materialized`,
                        ),
                    summary.partition === null
                      ? null
                      : h('span', { class: 'muted' }, ` · worst: ${summary.partition}`),
                  ),
                ]
              : null,
          ],
      source !== null ? null : automationFacts(automation),
    ),
  );
  return { element, tick };
}

/** Whether the automation daemon rebuilds a computed asset. */
function automationFacts(automation: AssetDetail['automation']): HTMLElement[] {
  return [
    h('dt', {}, 'automation'),
    automation === null
      ? h('dd', { class: 'muted' }, 'none: rebuilt only when someone materializes it')
      : h(
          'dd',
          { class: 'automation-policy' },
          automationBadge(automation),
          ' ',
          automation.description,
          ' · ',
          link(routes.automation(), 'ticks of the daemon'),
        ),
  ];
}
