// Badges of the second axis: freshness against a policy (a clock coloured pass, warn or fail,
// never the colours of materialization states alone) and automation (a bolt with the policy).
import type { AutomationPolicy, FreshnessState } from '../api/types.js';
import { h } from '../dom.js';
import { boltIcon, clockIcon } from './icons.js';

/** A freshness badge: clock and state ("fail"), or `text` ("overdue by 3h"). */
export function freshnessBadge(state: FreshnessState, text: string = state): HTMLElement {
  return h(
    'span',
    {
      class: `badge freshness freshness-${state}`,
      'data-freshness': state,
      title: `freshness: ${state}`,
    },
    clockIcon(),
    text,
  );
}

/** An automation badge: bolt and kind ("eager"), with the policy in words as its title. */
export function automationBadge(policy: AutomationPolicy): HTMLElement {
  return h(
    'span',
    { class: 'badge automation', title: `automation: ${policy.description}` },
    boltIcon(),
    policy.kind,
  );
}
