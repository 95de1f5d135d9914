// planDiff without a database: each kind of change a revision makes, with its path, kind and
// values (table-driven); lists of levels compared as lists; a stable order whatever the key order
// of the documents (stored plans come back from jsonb with their keys reordered).
import { describe, expect, it } from 'vitest';
import { parseExperimentPlan, planDiff, type PlanChange } from '../../src/plans/index.js';

const BASE = {
  version: 1,
  study: 'bracket',
  title: 'Thinner titanium brackets',
  rationale: 'The Pareto front is sparse below 8 kg.',
  predecessor: null,
  variables: { height_m: { min: 0.06, max: 0.12 } },
  levels: { material: ['steel', 'titanium'] },
  doe: { kind: 'latin_hypercube', samples: 12, seed: 7 },
  pipeline: '+pareto_front',
  limits: { maxDesignPoints: 12 },
  checkpoints: [{ after: 'mesh', note: 'look at the meshes' }],
};

/** BASE with `changes` at the top level, parsed (defaults filled in). */
const plan = (changes: Record<string, unknown> = {}) =>
  parseExperimentPlan({ ...BASE, ...changes });

describe('planDiff', () => {
  it.each<[string, Record<string, unknown>, PlanChange[]]>([
    ['nothing', {}, []],
    [
      'a bound',
      { variables: { height_m: { min: 0.06, max: 0.1 } } },
      [{ path: 'variables.height_m.max', kind: 'changed', before: 0.12, after: 0.1 }],
    ],
    [
      'the samples',
      { doe: { kind: 'latin_hypercube', samples: 24, seed: 7 } },
      [{ path: 'doe.samples', kind: 'changed', before: 12, after: 24 }],
    ],
    [
      "a checkpoint's note",
      { checkpoints: [{ after: 'mesh', note: 'look closely' }] },
      [
        {
          path: 'checkpoints[0].note',
          kind: 'changed',
          before: 'look at the meshes',
          after: 'look closely',
        },
      ],
    ],
    [
      'a checkpoint added',
      { checkpoints: [BASE.checkpoints[0], { after: 'fea_run' }] },
      [{ path: 'checkpoints[1]', kind: 'added', after: { after: 'fea_run' } }],
    ],
    [
      'every checkpoint removed',
      { checkpoints: [] },
      [{ path: 'checkpoints[0]', kind: 'removed', before: BASE.checkpoints[0] }],
    ],
    [
      'an optional field left out',
      { checkpoints: [{ after: 'mesh' }] },
      [{ path: 'checkpoints[0].note', kind: 'removed', before: 'look at the meshes' }],
    ],
    [
      'the last level dropped',
      { levels: { material: ['steel'] } },
      [{ path: 'levels.material[1]', kind: 'removed', before: 'titanium' }],
    ],
    [
      'the first level dropped (a list, not item by item)',
      { levels: { material: ['titanium'] } },
      [{ path: 'levels.material[0]', kind: 'removed', before: 'steel' }],
    ],
    [
      'a level inserted',
      { levels: { material: ['steel', 'aluminium', 'titanium'] } },
      [{ path: 'levels.material[1]', kind: 'added', after: 'aluminium' }],
    ],
    [
      'a level replaced',
      { levels: { material: ['aluminium', 'titanium'] } },
      [
        { path: 'levels.material[0]', kind: 'removed', before: 'steel' },
        { path: 'levels.material[0]', kind: 'added', after: 'aluminium' },
      ],
    ],
    [
      'a categorical variable left to the study',
      { levels: {} },
      [{ path: 'levels.material', kind: 'removed', before: ['steel', 'titanium'] }],
    ],
    [
      'a variable narrowed',
      { variables: { ...BASE.variables, thickness_m: { min: 0.01, max: 0.02 } } },
      [{ path: 'variables.thickness_m', kind: 'added', after: { min: 0.01, max: 0.02 } }],
    ],
    [
      'a limit added',
      { limits: { maxDesignPoints: 12, maxToolCalls: 60 } },
      [{ path: 'limits.maxToolCalls', kind: 'added', after: 60 }],
    ],
    [
      'another kind of DOE (keys sorted)',
      { doe: { kind: 'full_factorial', levels: { height_m: 3 } } },
      [
        { path: 'doe.kind', kind: 'changed', before: 'latin_hypercube', after: 'full_factorial' },
        { path: 'doe.levels', kind: 'added', after: { height_m: 3 } },
        { path: 'doe.samples', kind: 'removed', before: 12 },
        { path: 'doe.seed', kind: 'removed', before: 7 },
      ],
    ],
    [
      'the predecessor',
      { predecessor: 'plan-0123456789abcdef' },
      [{ path: 'predecessor', kind: 'changed', before: null, after: 'plan-0123456789abcdef' }],
    ],
  ])('%s', (_name, changes, expected) => {
    expect(planDiff(plan(), plan(changes))).toEqual(expected);
  });

  it('compares explicit points item by item, field by field', () => {
    const points = (second: number) => ({
      doe: {
        kind: 'points',
        points: [
          { height_m: 0.08, material: 'steel' },
          { height_m: second, material: 'titanium' },
        ],
      },
    });
    expect(planDiff(plan(points(0.1)), plan(points(0.11)))).toEqual([
      { path: 'doe.points[1].height_m', kind: 'changed', before: 0.1, after: 0.11 },
    ]);
  });

  it("lists changes in the schema's field order whatever the documents' key order", () => {
    const a = plan();
    const b = plan({
      title: 'Thinner brackets',
      variables: { height_m: { min: 0.07, max: 0.1 } },
      doe: { kind: 'latin_hypercube', samples: 24, seed: 7 },
      checkpoints: [],
    });
    /** `value` with every object's keys in reverse order, as jsonb may return them. */
    const reordered = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reordered)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reordered(v)]),
            )
          : value;
    const expected = [
      'title',
      'variables.height_m.max',
      'variables.height_m.min',
      'doe.samples',
      'checkpoints[0]',
    ];
    expect(planDiff(a, b).map((c) => c.path)).toEqual(expected);
    expect(planDiff(reordered(a) as typeof a, reordered(b) as typeof b).map((c) => c.path)).toEqual(
      expected,
    );
  });

  it('swaps added and removed, before and after, when the plans swap', () => {
    const a = plan();
    const b = plan({
      levels: { material: ['titanium', 'aluminium'] },
      limits: {},
      checkpoints: [],
      doe: { kind: 'latin_hypercube', samples: 20, seed: 7 },
    });
    const swapped = (c: PlanChange): PlanChange => ({
      path: c.path,
      kind: c.kind === 'added' ? 'removed' : c.kind === 'removed' ? 'added' : 'changed',
      ...(c.after === undefined ? {} : { before: c.after }),
      ...(c.before === undefined ? {} : { after: c.before }),
    });
    const sorted = (changes: PlanChange[]) => changes.map((c) => JSON.stringify(c)).sort();
    expect(planDiff(a, b)).toHaveLength(5);
    expect(sorted(planDiff(b, a))).toEqual(sorted(planDiff(a, b).map(swapped)));
  });
});
