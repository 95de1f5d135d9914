// Badges of the second axis: freshness against a policy (a clock coloured pass, warn or fail,
// never the colours of materialization states alone), automation (a bolt with the policy) and
// source assets (a database cylinder: observed, never computed).
import type { AutomationPolicy, FreshnessState, SourceObservation } from '../api/types.js';
import { h } from '../dom.js';
import { boltIcon, clockIcon, sourceIcon } from './icons.js';

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

/** A source badge: cylinder and "source", with how it is observed as its title. */
export function sourceBadge(source: SourceObservation): HTMLElement {
  return h(
    'span',
    {
      class: 'badge source',
      title: `source asset, observed and never computed: ${source.description}`,
    },
    sourceIcon(),
    'source',
  );
}
