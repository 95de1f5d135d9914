// One experiment plan (docs/plans.md): its title, state and rationale; the decision box for
// those who may approve, reject or withdraw it, and the execution box for those who may execute,
// continue or stop it; the dry run before it runs; its runs with their progress, followed live;
// its results; the history of its state; what it varies beside its study's bounds; the DOE with
// its design points as a scatter-plot matrix; its pipeline on the asset graph; its limits and
// checkpoints; and the plan it revises. The document never changes, so those parts are drawn
// once; the state, boxes, runs, results and history are redrawn after a decision and whenever
// the live stream reports progress of a run of a plan.
import { getJson } from '../api/client.js';
import { throttled } from '../api/live.js';
import type { PlanDetail, PlanDocument, PlanState, Session } from '../api/types.js';
import { scatterMatrix, type ScatterAxis } from '../charts/scatter-matrix.js';
import { errorBox, loading } from '../components/feedback.js';
import { planDecision } from '../components/plan-decision.js';
import { planDryRun, planExecution } from '../components/plan-execution.js';
import { planBadge, planHistory } from '../components/plan-history.js';
import { planPipeline } from '../components/plan-pipeline.js';
import { planResults } from '../components/plan-results.js';
import { planRuns, updatePlanRunRow } from '../components/plan-runs.js';
import {
  effectiveBounds,
  levelsOf,
  planVariables,
  variableNames,
} from '../components/plan-variables.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatNumber, formatTime, timeAgo } from '../format.js';
import type { Page } from '../page.js';
import { routes } from '../router.js';

/** Design points listed in the table under the chart (the chart shows all it was given). */
const LISTED_POINTS = 200;
/** At most one refetch of the plan this often while its runs progress. */
const REFRESH_INTERVAL_MS = 700;
/** States before the plan's first run: its page shows the dry run. */
const BEFORE_EXECUTION: readonly PlanState[] = ['proposed', 'approved'];

export const planPage: Page<{ id: string }> = (root, { id }, context) => {
  const header = h('div', { class: 'page-header' }, h('h1', {}, id));
  const body = h('div', {}, loading(`plan ${id}`));
  root.append(header, body);
  let destroyPipeline: (() => void) | undefined;
  let session: Session | undefined;
  /** The state the boxes were drawn for (they keep a typed comment until it changes). */
  let boxesState: PlanState | undefined;
  let runIds = new Set<number>();
  const boxes = h('div', { class: 'plan-boxes' });
  const dryRunSection = section('Dry run');
  const runsSection = section('Runs and progress');
  const resultsSection = section('Results');
  const historySection = section('History');

  /** Redraws what changes as the plan is decided on and runs. */
  const update = (plan: PlanDetail): void => {
    replaceChildren(
      header,
      h('h1', {}, plan.title, ' ', planBadge(plan.state)),
      h('div', { class: 'actions' }, link(routes.plans(), 'All plans')),
    );
    if (plan.state !== boxesState && session !== undefined) {
      boxesState = plan.state;
      replaceChildren(
        boxes,
        planDecision(plan, session, () => void decided()),
        planExecution(plan, session, () => void decided()),
      );
    }
    dryRunSection.hidden = !BEFORE_EXECUTION.includes(plan.state);
    fill(dryRunSection, planDryRun(plan));
    fill(runsSection, planRuns(plan.document, plan.runs));
    resultsSection.hidden = plan.runs.length === 0;
    fill(resultsSection, planResults(plan.results));
    fill(historySection, planHistory(plan.transitions));
    runIds = new Set(plan.runs.map((run) => run.runId));
  };

  const render = async (): Promise<void> => {
    const [plan, who] = await Promise.all([
      getJson<PlanDetail>(`/api/plans/${id}`, {}, context.signal),
      getJson<Session>('/api/session', {}, context.signal),
    ]);
    session = who;
    const doc = plan.document;
    destroyPipeline?.();
    const pipeline = planPipeline(plan, context.signal);
    destroyPipeline = pipeline.destroy;
    boxesState = undefined;
    update(plan);
    replaceChildren(
      body,
      h(
        'section',
        { class: 'card plan-overview' },
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'plan'),
          h('dd', {}, h('code', {}, plan.id)),
          h('dt', {}, 'study'),
          h('dd', {}, plan.study),
          h('dt', {}, 'proposed by'),
          h('dd', { class: 'proposer' }, plan.proposedBy),
          h('dt', {}, 'proposed'),
          h('dd', {}, `${formatTime(plan.proposedAt)} (${timeAgo(plan.proposedAt)})`),
          h('dt', {}, 'revises'),
          h(
            'dd',
            { class: 'predecessor' },
            plan.predecessor === null
              ? h('span', { class: 'muted' }, 'nothing: a first plan')
              : link(routes.plan(plan.predecessor), plan.predecessor),
          ),
        ),
        h('h3', {}, 'Rationale'),
        h('p', { class: 'rationale' }, doc.rationale),
      ),
      boxes,
      dryRunSection,
      runsSection,
      resultsSection,
      historySection,
      section(
        'Variables',
        plan.studyBounds === null
          ? h(
              'p',
              { class: 'error-box' },
              `The definitions no longer declare the study ${plan.study}.`,
            )
          : null,
        planVariables(doc, plan.studyBounds),
      ),
      section('Design of experiments', doeSummary(plan), designChart(plan), pointsTable(plan)),
      section('Pipeline', pipeline.element),
      section('Limits', limits(doc, plan.pointCount)),
      section('Checkpoints', checkpoints(doc)),
    );
  };
  const refresh = async (): Promise<void> => {
    try {
      await render();
    } catch (error) {
      if (!context.signal.aborted) replaceChildren(body, errorBox(error, `plan ${id}`));
    }
  };
  /** The plan again without its points (the document, hence the chart, never changes). */
  const reread = async (): Promise<void> => {
    const plan = await getJson<PlanDetail>(`/api/plans/${id}`, { pointLimit: 0 }, context.signal);
    if (!context.signal.aborted) update(plan);
  };
  const decided = async (): Promise<void> => {
    boxesState = undefined;
    try {
      await reread();
    } catch (error) {
      if (!context.signal.aborted) replaceChildren(boxes, errorBox(error, `plan ${id}`));
    }
  };
  const refetch = throttled(reread, REFRESH_INTERVAL_MS);
  const unsubscribe = context.live.subscribe((progress) => {
    const ours = runIds.has(progress.runId);
    if (ours) updatePlanRunRow(runsSection, progress);
    if (ours || progress.trigger === 'plan') refetch();
  });
  void refresh();
  return () => {
    unsubscribe();
    destroyPipeline?.();
  };
};

/** Replaces the content of a section made by `section`, keeping its title. */
function fill(target: HTMLElement, ...children: (HTMLElement | null)[]): void {
  replaceChildren(target, target.firstElementChild, ...children);
}

function section(title: string, ...children: (HTMLElement | null)[]): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-section': title.toLowerCase() },
    h('h2', {}, title),
    ...children,
  );
}

/** The DOE in words: kind, samples and seed, or levels per variable, and the points' number. */
function doeSummary(plan: PlanDetail): HTMLElement {
  const { doe } = plan.document;
  const kind =
    doe.kind === 'latin_hypercube'
      ? `Latin hypercube: ${doe.samples} sample(s), seed ${doe.seed}`
      : doe.kind === 'full_factorial'
        ? `Full factorial: ${
            Object.entries(doe.levels)
              .map(([name, count]) => `${name} × ${count}`)
              .join(', ') || 'no continuous levels'
          } (other continuous variables at the middle of their bounds), every level of each categorical`
        : `Explicit points: ${doe.points.length}`;
  const count =
    plan.pointCount === null
      ? 'the number of design points is unknown without the study'
      : `${plan.pointCount} design point(s)${
          plan.points.length < plan.pointCount ? `, the first ${plan.points.length} shown` : ''
        }`;
  return h(
    'p',
    { class: 'doe-summary', 'data-kind': doe.kind },
    kind,
    h('br', {}),
    h('span', { class: 'point-count', 'data-count': plan.pointCount ?? '' }, count),
  );
}

/** The design points as a scatter-plot matrix over the study's bounds, the plan's shaded. */
function designChart(plan: PlanDetail): HTMLElement {
  const doc = plan.document;
  const axes: ScatterAxis[] = [];
  for (const name of variableNames(doc, plan.studyBounds)) {
    const bounds = effectiveBounds(doc, plan.studyBounds, name);
    const study = plan.studyBounds?.variables[name];
    const domain = study ?? bounds;
    if (domain === undefined) continue;
    axes.push({
      name,
      domain: [domain.min, domain.max],
      ...(bounds === undefined || study === undefined
        ? {}
        : { region: [bounds.min, bounds.max] as const }),
    });
  }
  const categorical = levelsOf(doc, plan.studyBounds)[0];
  return h(
    'div',
    { class: 'design-chart' },
    scatterMatrix({
      axes,
      points: plan.points,
      ...(categorical === undefined
        ? {}
        : { colorBy: { name: categorical.name, levels: categorical.kept } }),
      label: `design points of ${plan.id}`,
    }),
    h('p', { class: 'muted' }, "Axes span the study's bounds; the shaded region is the plan's."),
  );
}

/** The design points as a table, folded. */
function pointsTable(plan: PlanDetail): HTMLElement | null {
  if (plan.points.length === 0) return null;
  const names = Object.keys(plan.points[0]!.values);
  const shown = plan.points.slice(0, LISTED_POINTS);
  return h(
    'details',
    { class: 'points-table' },
    h(
      'summary',
      {},
      `The design points as a table (${shown.length}${shown.length < plan.points.length ? ` of ${plan.points.length}` : ''})`,
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', {}, 'key'), ...names.map((n) => h('th', {}, n)))),
        h(
          'tbody',
          {},
          ...shown.map((point) =>
            h(
              'tr',
              { 'data-key': point.key },
              h('td', {}, h('code', {}, point.key)),
              ...names.map((name) => {
                const value = point.values[name];
                return h(
                  'td',
                  { class: typeof value === 'number' ? 'num' : undefined },
                  typeof value === 'number' ? formatNumber(value) : (value ?? '–'),
                );
              }),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The limits and budget. */
function limits(doc: PlanDocument, pointCount: number | null): HTMLElement {
  const { concurrency, maxDesignPoints, maxToolCalls } = doc.limits;
  const none = (): HTMLElement => h('span', { class: 'muted' }, 'no limit');
  return h(
    'dl',
    { class: 'facts plan-limits' },
    h('dt', {}, 'concurrency'),
    h('dd', {}, concurrency === undefined ? none() : `${concurrency} step(s) at once`),
    h('dt', {}, 'design points'),
    h(
      'dd',
      {},
      maxDesignPoints === undefined
        ? none()
        : `at most ${maxDesignPoints}${pointCount === null ? '' : ` (the DOE gives ${pointCount})`}`,
    ),
    h('dt', {}, 'tool calls'),
    h('dd', {}, maxToolCalls === undefined ? none() : `at most ${maxToolCalls}`),
  );
}

/** The checkpoints: after which asset the plan's runs pause, and what to look at. */
function checkpoints(doc: PlanDocument): HTMLElement {
  if (doc.checkpoints.length === 0)
    return h('p', { class: 'muted' }, "None: the plan's runs go through without pausing.");
  return h(
    'ul',
    { class: 'checkpoints' },
    ...doc.checkpoints.map((checkpoint) =>
      h(
        'li',
        { 'data-after': checkpoint.after },
        'after ',
        link(routes.asset(checkpoint.after), checkpoint.after),
        checkpoint.note === undefined
          ? null
          : [': ', h('span', { class: 'note' }, checkpoint.note)],
      ),
    ),
  );
}
