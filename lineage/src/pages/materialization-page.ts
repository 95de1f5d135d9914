// One materialization and its provenance: the exact materializations around it as a graph, the
// tool calls (their arguments as collapsible JSON), the artifacts (open, download, images
// previewed), the run and attempt, host and git commit, its value (pretty JSON) and metadata,
// and what depends on it. An observation of a source asset (recorded without
// a run, step or worker: docs/semantics.md, "Source assets") reads as one: when it was observed
// and the version it found, and its lineage shows what was built from it.
import { assetPath, getJson } from '../api/client.js';
import type { AssetDetail, Provenance } from '../api/types.js';
import { errorBox, loading } from '../components/feedback.js';
import { sourceBadge } from '../components/freshness-badge.js';
import { lineageSection } from '../components/lineage-section.js';
import { slurmJobText } from '../components/slurm-job.js';
import { artifactPreviews, valuePreview } from '../components/value-preview.js';
import { badge } from '../components/status-badge.js';
import { toolCallArguments } from '../components/tool-call-arguments.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatBytes, formatDuration, formatTime, shortHash } from '../format.js';
import type { Page } from '../page.js';
import { routes } from '../router.js';

export const materializationPage: Page<{ id: number }> = (root, { id }, context) => {
  root.append(loading(`materialization ${id}`));
  getJson<Provenance>(`/api/materializations/${id}`, {}, context.signal)
    .then(async (provenance) => {
      // Whether its asset is a source (an asset no longer defined is shown as computed).
      const asset = await getJson<AssetDetail>(
        assetPath(provenance.assetKey),
        {},
        context.signal,
      ).catch(() => undefined);
      const source = asset?.source ?? null;
      const observation = source !== null && provenance.runId === null;
      replaceChildren(root, ...render(provenance, observation ? source : null, context.signal));
    })
    .catch((error: unknown) => {
      if (!context.signal.aborted) replaceChildren(root, errorBox(error, `materialization ${id}`));
    });
};

/** The page of `p`; `source` is set when `p` is an observation of that source asset. */
function render(
  p: Provenance,
  source: AssetDetail['source'],
  signal: AbortSignal,
): (HTMLElement | null)[] {
  const label = `${p.assetKey}${p.partition === null ? '' : `[${p.partition}]`}`;
  const observation = source !== null;
  return [
    h(
      'div',
      { class: 'page-header' },
      h(
        'h1',
        {},
        label,
        h(
          'span',
          { class: 'muted' },
          ` · ${observation ? 'observation' : 'materialization'} #${p.materializationId}`,
        ),
        ' ',
        badge(p.isLatest ? 'latest' : 'superseded'),
        source === null ? null : [' ', sourceBadge(source)],
      ),
      h(
        'div',
        { class: 'actions' },
        h('a', { class: 'button', href: `#${routes.asset(p.assetKey)}` }, 'Asset'),
        p.runId === null
          ? null
          : h('a', { class: 'button', href: `#${routes.run(p.runId)}` }, `Run ${p.runId}`),
      ),
    ),
    observation ? observationSection(p) : provenanceSection(p),
    lineageSection(p.materializationId, observation, signal),
    observation && p.inputs.length === 0
      ? null
      : table(
          'Inputs',
          ['input', 'materialization', 'data version'],
          p.inputs.map((input) => [
            input.inputName,
            link(
              routes.materialization(input.materializationId),
              `${input.assetKey}${input.partition === null ? '' : `[${input.partition}]`} #${input.materializationId}`,
            ),
            h('code', { title: input.dataVersion }, shortHash(input.dataVersion)),
          ]),
          'No inputs: a root of the graph.',
        ),
    observation && p.toolCalls.length === 0
      ? null
      : table(
          'Tool calls',
          ['server', 'tool', 'version', 'arguments', 'result', 'took'],
          p.toolCalls.map((call) => [
            call.server,
            call.tool,
            call.toolVersion ?? '–',
            toolCallArguments(call),
            call.resultId ?? '–',
            formatDuration(call.durationMs),
          ]),
          'No tool calls.',
        ),
    withPreviews(
      table(
        'Artifacts',
        ['name', 'type', 'size', 'sha256', ''],
        p.artifacts.map((artifact) => [
          artifact.name,
          artifact.contentType,
          formatBytes(artifact.size),
          h('code', { title: artifact.sha256 }, shortHash(artifact.sha256)),
          h(
            'span',
            { class: 'actions' },
            h('a', { href: artifact.url, target: '_blank', rel: 'noopener' }, 'open'),
            ' ',
            h('a', { href: artifact.url, download: artifact.name }, 'download'),
          ),
        ]),
        'No artifacts.',
      ),
      artifactPreviews(p.artifacts),
    ),
    valueSection(p),
    table(
      'What depends on this',
      ['materialization', 'input', 'run', 'materialized'],
      p.consumers.map((c) => [
        link(
          routes.materialization(c.materializationId),
          `${c.assetKey}${c.partition === null ? '' : `[${c.partition}]`} #${c.materializationId}`,
        ),
        c.inputName,
        c.runId === null ? '–' : link(routes.run(c.runId), `run ${c.runId}`),
        formatTime(c.materializedAt),
      ]),
      'Nothing has consumed it yet.',
    ),
  ];
}

/** Run, step, attempt, worker, versions and reuse of a materialization. */
function provenanceSection(p: Provenance): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-section': 'Provenance' },
    h('h2', {}, 'Provenance'),
    h(
      'dl',
      { class: 'facts' },
      ...fact(
        'run',
        p.runId === null
          ? 'none (recorded outside a run)'
          : link(routes.run(p.runId), `run ${p.runId}`),
      ),
      ...fact(
        'step / attempt',
        p.stepId === null
          ? '–'
          : p.runId === null
            ? `step ${p.stepId}, attempt ${p.attempt ?? '–'}`
            : // The run page with this step selected: its attempts and their log (output included).
              link(
                routes.run(p.runId, p.stepId),
                `step ${p.stepId}, attempt ${p.attempt ?? '–'} (log)`,
              ),
      ),
      ...fact('host / worker', `${p.host ?? '–'} / ${p.workerId ?? '–'}`),
      ...(p.slurm === null ? [] : fact('Slurm job', slurmJobText(p.slurm))),
      ...fact('git commit', p.gitCommit === null ? '–' : h('code', {}, p.gitCommit)),
      ...fact('started', formatTime(p.startedAt)),
      ...fact('finished', `${formatTime(p.finishedAt)} (took ${formatDuration(p.durationMs)})`),
      ...fact('code version', h('code', {}, p.codeVersion)),
      ...fact('data version', h('code', {}, p.dataVersion)),
      ...fact('input hash', h('code', {}, p.inputHash)),
      ...fact(
        'reused from',
        p.reusedFrom === null
          ? 'computed here'
          : link(
              routes.materialization(p.reusedFrom),
              `materialization #${p.reusedFrom} (identical inputs and code)`,
            ),
      ),
    ),
  );
}

/** When an observation found the version it recorded, and where it ran. */
function observationSection(p: Provenance): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-section': 'Observation' },
    h('h2', {}, 'Observation'),
    h(
      'p',
      {},
      'An observation of a source asset that found a new data version: recorded without a run ' +
        '(a source is observed, never computed). Observations that find the same version ' +
        'record nothing, so this version may have been observed again since.',
    ),
    h(
      'dl',
      { class: 'facts' },
      ...fact('recorded by', 'an observation, without a run'),
      ...fact(
        'observed',
        `${formatTime(p.finishedAt)} (the observation took ${formatDuration(p.durationMs)})`,
      ),
      ...fact('data version', h('code', { class: 'data-version' }, p.dataVersion)),
      ...fact(
        'version',
        p.isLatest ? 'current: what uses it reads this version' : 'superseded by a newer one',
      ),
      ...fact('host', p.host ?? '–'),
      ...fact('git commit', p.gitCommit === null ? '–' : h('code', {}, p.gitCommit)),
    ),
  );
}

/** `section` with the image previews appended. */
function withPreviews(section: HTMLElement, previews: HTMLElement | null): HTMLElement {
  if (previews !== null) section.append(previews);
  return section;
}

function fact(name: string, value: Node | string): HTMLElement[] {
  return [h('dt', {}, name), h('dd', {}, value)];
}

function table(
  title: string,
  columns: readonly string[],
  rows: readonly (readonly (Node | string)[])[],
  empty: string,
): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-section': title },
    h(
      'h2',
      {},
      title,
      rows.length === 0 ? null : h('span', { class: 'muted' }, ` (${rows.length})`),
    ),
    rows.length === 0
      ? h('p', { class: 'muted' }, empty)
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            {},
            h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', {}, c)))),
            h(
              'tbody',
              {},
              ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell)))),
            ),
          ),
        ),
  );
}

/** The metadata and the value, shown as pretty JSON (or a link when stored as an artifact). */
function valueSection(p: Provenance): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-section': 'Value' },
    h('h2', {}, 'Value and metadata'),
    Object.keys(p.metadata).length === 0
      ? null
      : h(
          'dl',
          { class: 'facts' },
          ...Object.entries(p.metadata).flatMap(([name, value]) =>
            fact(name, typeof value === 'string' ? value : JSON.stringify(value)),
          ),
        ),
    valuePreview(p),
  );
}
