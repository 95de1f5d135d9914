// The asset page's preview of its newest materialization: its image artifacts (the Pareto plot
// on pareto_front's page) and its value as pretty JSON. The section is kept while the newest
// materialization stays the same, so a refresh does not reload the images.
import { getJson } from '../api/client.js';
import type { MaterializationSummary, Provenance } from '../api/types.js';
import { h, link, replaceChildren } from '../dom.js';
import { timeAgo } from '../format.js';
import { routes } from '../router.js';
import { errorBox, loading } from './feedback.js';
import { artifactPreviews, valuePreview } from './value-preview.js';

/** Gives the section of the newest materialization (null when there is none). */
export type LatestPreview = (newest: MaterializationSummary | undefined) => HTMLElement | null;

/** A preview that fetches the provenance of each new newest materialization once. */
export function latestPreview(signal: AbortSignal, options: { source: boolean }): LatestPreview {
  let shown: { id: number; element: HTMLElement } | undefined;
  return (newest) => {
    if (newest === undefined) return null;
    if (shown?.id === newest.materializationId) return shown.element;
    const body = h('div', {}, loading('the latest value'));
    const noun = options.source ? 'observation' : 'materialization';
    const element = h(
      'section',
      { class: 'card', 'data-section': 'Latest' },
      h(
        'h2',
        {},
        options.source ? 'Latest observed value' : 'Latest value',
        h(
          'span',
          { class: 'muted' },
          ' · ',
          link(
            routes.materialization(newest.materializationId),
            `${noun} #${newest.materializationId}`,
          ),
          newest.partition === null ? '' : ` of ${newest.partition}`,
          `, ${timeAgo(newest.finishedAt)}`,
        ),
      ),
      body,
    );
    shown = { id: newest.materializationId, element };
    getJson<Provenance>(`/api/materializations/${newest.materializationId}`, {}, signal)
      .then((p) => replaceChildren(body, artifactPreviews(p.artifacts), valuePreview(p)))
      .catch((error: unknown) => {
        if (!signal.aborted) replaceChildren(body, errorBox(error, 'the latest value'));
      });
    return element;
  };
}
