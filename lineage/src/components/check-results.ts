// Asset checks (docs/semantics.md, "Asset checks"): the verdicts of a partition's checks summed
// up as one mark (all passed ✓, a warning !, a failure ✗, a blocking failure ⊘), each verdict in
// words (what the check found, its metadata, the check's version, whether it is outdated, the
// materialization and run it judged), and the checks an asset declares.
import type { AssetCheck, CheckResult } from '../api/types.js';
import { h, link } from '../dom.js';
import { formatTime, shortHash, timeAgo } from '../format.js';
import { routes } from '../router.js';
import { MARKS, verdictOf, WORDS, type CheckVerdict } from '../check-verdicts.js';

export { verdictOf, verdictsInWords, worstVerdict, type CheckVerdict } from '../check-verdicts.js';

/** The small mark of a partition's worst verdict (its words are the cell's label). */
export function checkMark(verdict: CheckVerdict): HTMLElement {
  return h(
    'span',
    { class: `check-mark verdict-${verdict}`, 'aria-hidden': 'true' },
    MARKS[verdict],
  );
}

/** A verdict's badge: passed, warned, failed, failed (blocking). */
export function verdictBadge(
  check: Pick<CheckResult, 'passed' | 'blocking' | 'severity'>,
): HTMLElement {
  const verdict = verdictOf(check);
  return h(
    'span',
    { class: `badge verdict verdict-${verdict}` },
    `${MARKS[verdict]} ${WORDS[verdict]}`,
  );
}

function metadataText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Each verdict of a partition's checks, with what it found and what it judged. */
export function checkResultsList(checks: readonly CheckResult[]): HTMLElement {
  return h(
    'ul',
    { class: 'check-results', 'aria-label': 'check verdicts' },
    ...checks.map((check) => {
      const metadata = Object.entries(check.metadata);
      return h(
        'li',
        { 'data-check': check.check, 'data-verdict': verdictOf(check) },
        h(
          'div',
          { class: 'check-head' },
          verdictBadge(check),
          ' ',
          h('strong', { class: 'check-name' }, check.check),
          check.description === null
            ? null
            : h('span', { class: 'check-found' }, ` ${check.description}`),
        ),
        check.error === null ? null : h('p', { class: 'error-text check-error' }, check.error),
        metadata.length === 0
          ? null
          : h(
              'dl',
              { class: 'check-metadata' },
              ...metadata.map(([key, value]) => [
                h('dt', {}, key),
                h('dd', {}, metadataText(value)),
              ]),
            ),
        h(
          'p',
          { class: 'muted check-provenance' },
          `${check.severity}${check.blocking ? ', blocking' : ''} · version `,
          h('code', { title: check.checkVersion }, shortHash(check.checkVersion)),
          check.outdated
            ? [
                ' ',
                h(
                  'span',
                  {
                    class: 'badge check-outdated',
                    title:
                      'the check declared now has another version: `strata check` judges again',
                  },
                  'outdated',
                ),
              ]
            : null,
          ' · judged ',
          link(
            routes.materialization(check.materializationId),
            `materialization #${check.materializationId}`,
          ),
          check.runId === null
            ? ' by strata check'
            : [' in ', link(routes.run(check.runId), `run ${check.runId}`)],
          ' ',
          h(
            'time',
            { datetime: check.evaluatedAt, title: formatTime(check.evaluatedAt) },
            timeAgo(check.evaluatedAt),
          ),
        ),
      );
    }),
  );
}

/**
 * The checks an asset declares: name, severity, blocking, description and code version, and, for
 * an unpartitioned asset (`verdicts`), the latest verdict of each on its value.
 */
export function declaredChecks(
  checks: readonly AssetCheck[],
  verdicts: readonly CheckResult[] | undefined,
): HTMLElement {
  const byName = new Map((verdicts ?? []).map((verdict) => [verdict.check, verdict]));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'declared-checks' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'check'),
          h('th', {}, 'severity'),
          h('th', {}, 'blocking'),
          h('th', {}, 'description'),
          h('th', {}, 'code version'),
          verdicts === undefined ? null : h('th', {}, 'latest verdict'),
        ),
      ),
      h(
        'tbody',
        {},
        ...checks.map((check) => {
          const verdict = byName.get(check.name);
          return h(
            'tr',
            { 'data-check': check.name },
            h('td', {}, h('strong', {}, check.name)),
            h('td', {}, h('span', { class: `badge severity-${check.severity}` }, check.severity)),
            h(
              'td',
              { title: check.blocking ? 'a failure stops dependants from reading the value' : '' },
              check.blocking ? 'blocking' : 'no',
            ),
            h('td', { class: 'metadata' }, check.description ?? '–'),
            h('td', {}, h('code', { title: check.codeVersion }, shortHash(check.codeVersion))),
            verdicts === undefined
              ? null
              : h(
                  'td',
                  { class: 'metadata' },
                  verdict === undefined
                    ? h('span', { class: 'muted' }, 'not judged yet')
                    : [
                        verdictBadge(verdict),
                        verdict.description === null ? null : ` ${verdict.description}`,
                        verdict.outdated
                          ? [' ', h('span', { class: 'badge check-outdated' }, 'outdated')]
                          : null,
                      ],
                ),
          );
        }),
      ),
    ),
  );
}
