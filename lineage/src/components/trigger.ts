// What launched a run: its trigger (cli, api, automation: the last with the bolt and a link to
// the daemon's ticks) and the trigger reason, one line per asset ("trend: eager: never
// materialized; …" as the daemon records it).
import { h, link } from '../dom.js';
import { routes } from '../router.js';
import { boltIcon } from './icons.js';

/** The trigger as a small label; automation links to the automation page. */
export function triggerLabel(trigger: string): HTMLElement {
  if (trigger !== 'automation')
    return h('span', { class: 'trigger', 'data-trigger': trigger }, trigger);
  const label = link(routes.automation(), boltIcon(), 'automation');
  label.classList.add('trigger', 'trigger-automation');
  label.dataset.trigger = trigger;
  label.title = 'launched by the automation daemon: see its ticks';
  return label;
}

/** The reasons of a trigger, one per asset ("key: rule: reason"). */
export function reasonLines(reason: string): string[] {
  return reason.split(/; (?=[a-z0-9_/]+: )/).filter((line) => line !== '');
}

/** The trigger reason as a list, or null without one. */
export function triggerReason(reason: string | null): HTMLElement | null {
  if (reason === null || reason === '') return null;
  return h(
    'ul',
    { class: 'trigger-reason' },
    ...reasonLines(reason).map((line) => h('li', {}, line)),
  );
}
