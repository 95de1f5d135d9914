// One cause of a partition's status in words (an item of a `.causes` list): its category's badge
// and reason, and where to look. A `check` cause (its latest materialization failed a blocking
// check) links that materialization; an `upstream` cause links the dependency at fault, and one
// whose dependency is blocked says so with the blocked badge rather than the upstream one.
import type { StaleCause } from '../api/types.js';
import { h, link } from '../dom.js';
import { routes } from '../router.js';
import { badge } from './status-badge.js';

/** The cause as a list item; `self` is the asset whose cause it is (not linked to itself). */
export function causeLine(cause: StaleCause, self: string): HTMLElement {
  switch (cause.category) {
    case 'check':
      return h(
        'li',
        { 'data-category': 'check' },
        badge('check', 'blocking check'),
        ' ',
        h('strong', {}, cause.check),
        ` failed${cause.description === null ? '' : `: ${cause.description}`}`,
        ' — ',
        link(
          routes.materialization(cause.materializationId),
          `materialization #${cause.materializationId}`,
        ),
        h('span', { class: 'muted' }, ' (dependants do not read it)'),
      );
    case 'upstream':
      return h(
        'li',
        { 'data-category': 'upstream', 'data-dependency-status': cause.dependencyStatus },
        cause.dependencyStatus === 'blocked'
          ? badge('blocked', 'upstream blocked')
          : badge('upstream'),
        ' ',
        cause.reason,
        cause.dependency === self
          ? null
          : [' — ', link(routes.asset(cause.dependency), cause.dependency)],
      );
    default:
      return h('li', { 'data-category': cause.category }, badge(cause.category), ' ', cause.reason);
  }
}
