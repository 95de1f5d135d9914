// Experiment plans without a database: the document's schema, its id (the hash of its canonical
// JSON), its JSON Schema, and every kind of problem a planner can make, each reported with its
// field and what is allowed, all at once (table-driven).
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, study } from '../../src/definitions/index.js';
import {
  experimentPlanId,
  experimentPlanJsonSchema,
  parseExperimentPlan,
  PlanValidationError,
  validateExperimentPlan,
} from '../../src/plans/index.js';
import { REPO_ROOT, runCli } from '../cli/cli-harness.js';
import { graphOf } from '../support/engine.js';

/**
 * designs -> mesh -> fea_run -> metrics -> pareto_front, the study "bracket" over them, and
 * report beside it (not in the study).
 */
function studyGraph() {
  const node = (key: string, deps: Record<string, ReturnType<typeof asset>> = {}) =>
    asset({ key, deps, schema: z.number(), compute: () => 1 });
  const designs = node('designs');
  const mesh = node('mesh', { designs });
  const feaRun = node('fea_run', { mesh });
  const metrics = node('metrics', { feaRun });
  const paretoFront = node('pareto_front', { metrics });
  const report = node('report', { metrics });
  const bracket = study({
    key: 'bracket',
    variables: { height_m: { min: 0.06, max: 0.2 }, thickness_m: { min: 0.01, max: 0.04 } },
    levels: { material: ['steel', 'aluminium', 'titanium'] },
    assets: [designs, mesh, feaRun, metrics, paretoFront],
  });
  return graphOf([designs, mesh, feaRun, metrics, paretoFront, report], { studies: [bracket] });
}

const graph = studyGraph();

const PLAN = {
  version: 1,
  study: 'bracket',
  title: 'Thinner titanium brackets',
  rationale: 'The Pareto front is sparse below 8 kg.',
  predecessor: null,
  variables: { height_m: { min: 0.06, max: 0.12 } },
  levels: { material: ['titanium'] },
  doe: { kind: 'latin_hypercube', samples: 12, seed: 7 },
  pipeline: '+pareto_front',
  limits: { maxDesignPoints: 12 },
  checkpoints: [{ after: 'mesh', note: 'look at the meshes' }],
};

/** PLAN with `changes` merged in at the top level. */
const plan = (changes: Record<string, unknown>) => ({ ...PLAN, ...changes });

describe('experiment plans', () => {
  it('accept a valid plan, with an id that names its content whatever the key order', () => {
    const parsed = validateExperimentPlan(PLAN, graph);
    const id = experimentPlanId(parsed);
    expect(id).toMatch(/^plan-[0-9a-f]{16}$/);
    const reordered = Object.fromEntries(Object.entries(PLAN).reverse());
    expect(experimentPlanId(parseExperimentPlan(JSON.stringify(reordered)))).toBe(id);
    expect(experimentPlanId(parseExperimentPlan(plan({ title: 'Other' })))).not.toBe(id);
    // Defaults are part of the content: leaving them out names the same plan.
    const { checkpoints: _c, ...withoutCheckpoints } = PLAN;
    expect(
      experimentPlanId(parseExperimentPlan({ ...withoutCheckpoints, levels: PLAN.levels })),
    ).toBe(experimentPlanId(parseExperimentPlan({ ...PLAN, checkpoints: [] })));
  });

  it('publish their JSON Schema', () => {
    const schema = experimentPlanJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'version',
        'study',
        'title',
        'rationale',
        'variables',
        'doe',
        'pipeline',
      ]),
    );
    expect(Object.keys(schema.properties as object)).toContain('checkpoints');
  });

  it.each<[string, unknown, [string, RegExp][]]>([
    ['malformed JSON', '{"version": 1,', [['', /^not valid JSON: /]]],
    ['an unknown field', plan({ budget: 3 }), [['', /Unrecognized key: "budget"/]]],
    [
      'a missing field and a wrong version',
      { ...plan({ version: 2 }), title: undefined },
      [
        ['version', /expected 1/],
        ['title', /expected string/],
      ],
    ],
    [
      'bounds the wrong way round',
      plan({ variables: { height_m: { min: 0.1, max: 0.08 } } }),
      [['variables.height_m.max', /min must be less than max/]],
    ],
    [
      'bounds wider than the study',
      plan({ variables: { height_m: { min: 0.01, max: 0.5 } } }),
      [
        ['variables.height_m.min', /^0.01 is below the study's bound 0.06$/],
        ['variables.height_m.max', /^0.5 exceeds the study's bound 0.2$/],
      ],
    ],
    [
      'an unknown variable',
      plan({ variables: { hieght_m: { min: 0.1, max: 0.12 } } }),
      [
        [
          'variables.hieght_m',
          /the study has no continuous variable "hieght_m" \(did you mean height_m\?\)/,
        ],
      ],
    ],
    [
      'an unknown level',
      plan({ levels: { material: ['titanium', 'wood'] } }),
      [
        [
          'levels.material[1]',
          /"wood" is not a level of the study's material \(steel, aluminium, titanium\)/,
        ],
      ],
    ],
    [
      'more points than the plan allows',
      plan({ doe: { kind: 'latin_hypercube', samples: 40, seed: 1 } }),
      [['doe.samples', /^40 design points exceed the plan's limits.maxDesignPoints 12$/]],
    ],
    [
      'a full factorial that is too big',
      plan({ doe: { kind: 'full_factorial', levels: { height_m: 4, thickness_m: 4 } } }),
      [['doe.levels', /^16 design points exceed/]],
    ],
    [
      'explicit points outside the plan',
      plan({
        doe: {
          kind: 'points',
          points: [
            { height_m: 0.15, thickness_m: 0.02, material: 'titanium' },
            { height_m: 0.1, material: 'steel', colour: 'red' },
          ],
        },
      }),
      [
        ['doe.points[0].height_m', /^0.15 is outside 0.06..0.12$/],
        ['doe.points[1].thickness_m', /a number from 0.01 to 0.04 is required/],
        ['doe.points[1].material', /one of titanium is required/],
        ['doe.points[1].colour', /the study has no variable "colour"/],
      ],
    ],
    [
      'an explicit point listed twice',
      plan({
        doe: {
          kind: 'points',
          points: [
            { height_m: 0.1, thickness_m: 0.02, material: 'titanium' },
            { height_m: 0.11, thickness_m: 0.02, material: 'titanium' },
            { thickness_m: 0.02, material: 'titanium', height_m: 0.1 },
          ],
        },
      }),
      [['doe.points[2]', /^repeats doe.points\[0\]$/]],
    ],
    [
      'an unknown asset in the pipeline',
      plan({ pipeline: '+pareto' }),
      [
        [
          'pipeline',
          /^unknown asset "pareto" in selection "\+pareto" at column 1 \(.*pareto_front.*\)$/,
        ],
      ],
    ],
    [
      'a study the definitions do not declare',
      plan({ study: 'braket' }),
      [['study', /the definitions declare no study "braket" \(did you mean bracket\?\)/]],
    ],
    [
      'a pipeline beyond the study',
      plan({ pipeline: '+report' }),
      [
        [
          'pipeline',
          /^selects report, which the study bracket neither includes nor reads \(it includes designs, mesh, fea_run, metrics, pareto_front\)$/,
        ],
      ],
    ],
    [
      'a checkpoint outside the pipeline',
      plan({ checkpoints: [{ after: 'report' }] }),
      [['checkpoints[0].after', /"report" is not in the pipeline/]],
    ],
    [
      'a checkpoint after the last asset',
      plan({ checkpoints: [{ after: 'pareto_front' }] }),
      [
        [
          'checkpoints[0].after',
          /nothing of the pipeline comes after pareto_front: the checkpoint would pause nothing/,
        ],
      ],
    ],
  ])('report %s, with the field', (_case, input, expected) => {
    let error: unknown;
    try {
      validateExperimentPlan(input, graph);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlanValidationError);
    const issues = (error as PlanValidationError).issues;
    expect(issues.map((issue) => issue.path)).toEqual(expected.map(([path]) => path));
    issues.forEach((issue, index) => expect(issue.message).toMatch(expected[index]![1]));
    expect((error as PlanValidationError).message).toMatch(
      /^the plan is not valid \(\d+ problems?\):\n {2}/,
    );
  });
});

describe('strata plans schema', () => {
  it('prints the JSON Schema of a plan', async () => {
    const result = await runCli(['plans', 'schema']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(experimentPlanJsonSchema());
    const wrong = await runCli(['plans', 'shema']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /unknown action "shema" for strata plans[\s\S]*did you mean schema/,
    );
  });
});

describe('strata plans validate', () => {
  it('checks a plan against the example study, printing its id or every problem', async () => {
    const valid = await runCli(['plans', 'validate', 'examples/plans/thin-titanium.json']);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(
      /^examples\/plans\/thin-titanium\.json: valid, plan-[0-9a-f]{16} \(Thinner titanium brackets; study bracket, pipeline \+plan_pareto_front, pareto_front\)\n$/,
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'strata-plan-'));
    const file = path.join(dir, 'wide.json');
    const text = await readFile(path.join(REPO_ROOT, 'examples/plans/thin-titanium.json'), 'utf8');
    await writeFile(file, text.replace('"max": 0.12', '"max": 0.5'));
    const wide = await runCli(['plans', 'validate', file, '--json']);
    expect(wide.code).toBe(1);
    expect(JSON.parse(wide.stdout)).toMatchObject({
      valid: false,
      issues: [{ path: 'variables.height_m.max', message: "0.5 exceeds the study's bound 0.2" }],
    });
  });
});
