// What a plan varies, beside what its study allows: one row per continuous variable with the
// bounds the plan samples (its own, or the study's when it leaves the variable out), the study's
// bounds and how much of the study's range the plan keeps; then the categorical variables with
// the levels the plan keeps and those it leaves out.
import type { PlanDocument, StudyBounds } from '../api/types.js';
import { h } from '../dom.js';
import { formatNumber } from '../format.js';

/** The bounds a plan samples a variable in: its own, else the study's. */
export function effectiveBounds(
  plan: PlanDocument,
  study: StudyBounds | null,
  name: string,
): { min: number; max: number } | undefined {
  return plan.variables[name] ?? study?.variables[name];
}

/** The continuous variables in the study's order, then any the study no longer declares. */
export function variableNames(plan: PlanDocument, study: StudyBounds | null): string[] {
  const names = Object.keys(study?.variables ?? {});
  for (const name of Object.keys(plan.variables)) if (!names.includes(name)) names.push(name);
  return names;
}

/** The categorical variables with the levels the plan keeps, in the study's order. */
export function levelsOf(
  plan: PlanDocument,
  study: StudyBounds | null,
): { name: string; kept: readonly string[]; all: readonly string[] }[] {
  const names = Object.keys(study?.levels ?? {});
  for (const name of Object.keys(plan.levels)) if (!names.includes(name)) names.push(name);
  return names.map((name) => {
    const all = study?.levels[name] ?? plan.levels[name] ?? [];
    return { name, kept: plan.levels[name] ?? all, all };
  });
}

/** The variables table and the levels table of a plan. */
export function planVariables(plan: PlanDocument, study: StudyBounds | null): HTMLElement {
  const rows = variableNames(plan, study).map((name) => {
    const own = plan.variables[name];
    const allowed = study?.variables[name];
    const bounds = own ?? allowed!;
    const share =
      allowed === undefined
        ? '–'
        : `${Math.round(((bounds.max - bounds.min) / (allowed.max - allowed.min)) * 100)} %`;
    return h(
      'tr',
      { 'data-variable': name },
      h('td', {}, h('code', {}, name)),
      h('td', { class: 'num plan-min' }, formatNumber(bounds.min)),
      h('td', { class: 'num plan-max' }, formatNumber(bounds.max)),
      h('td', { class: 'num study-min' }, allowed === undefined ? '–' : formatNumber(allowed.min)),
      h('td', { class: 'num study-max' }, allowed === undefined ? '–' : formatNumber(allowed.max)),
      h('td', { class: 'num' }, share),
      h(
        'td',
        { class: 'muted' },
        allowed === undefined
          ? 'the study no longer declares it'
          : own === undefined
            ? "the study's bounds"
            : 'narrowed by the plan',
      ),
    );
  });
  const levels = levelsOf(plan, study);
  return h(
    'div',
    { class: 'plan-variables' },
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'variables-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'variable'),
            h('th', { class: 'num' }, 'plan min'),
            h('th', { class: 'num' }, 'plan max'),
            h('th', { class: 'num' }, 'study min'),
            h('th', { class: 'num' }, 'study max'),
            h('th', { class: 'num' }, 'of the range'),
            h('th', {}, ''),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
    levels.length === 0
      ? null
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'levels-table' },
            h(
              'thead',
              {},
              h('tr', {}, h('th', {}, 'categorical'), h('th', {}, 'levels (kept, then left out)')),
            ),
            h(
              'tbody',
              {},
              ...levels.map(({ name, kept, all }) =>
                h(
                  'tr',
                  { 'data-variable': name },
                  h('td', {}, h('code', {}, name)),
                  h(
                    'td',
                    { class: 'levels' },
                    ...kept.map((level) => h('span', { class: 'tag level-kept' }, level)),
                    ...all
                      .filter((level) => !kept.includes(level))
                      .map((level) =>
                        h('span', { class: 'tag level-out', title: 'left out by the plan' }, level),
                      ),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}
