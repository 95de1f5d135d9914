// Revising a plan without a database: changes merged over the predecessor's document as a JSON
// merge patch (objects key by key, arrays replaced, null removes), the predecessor set, the
// result checked like a proposal (every problem with its field), and what it changed.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, study } from '../../src/definitions/index.js';
import {
  experimentPlanId,
  mergePatch,
  parseExperimentPlan,
  planRevision,
  PlanValidationError,
} from '../../src/plans/index.js';
import { graphOf } from '../support/engine.js';

const designs = asset({ key: 'designs', schema: z.number(), compute: () => 1 });
const mesh = asset({ key: 'mesh', deps: { designs }, schema: z.number(), compute: () => 1 });
const graph = graphOf([designs, mesh], {
  studies: [
    study({
      key: 'bracket',
      variables: { height_m: { min: 0.06, max: 0.2 }, thickness_m: { min: 0.01, max: 0.04 } },
      levels: { material: ['steel', 'titanium'] },
      assets: [designs, mesh],
    }),
  ],
});

const document = parseExperimentPlan({
  version: 1,
  study: 'bracket',
  title: 'Titanium only',
  rationale: 'steel is done',
  predecessor: null,
  variables: { height_m: { min: 0.1, max: 0.15 }, thickness_m: { min: 0.01, max: 0.02 } },
  levels: { material: ['titanium'] },
  doe: { kind: 'latin_hypercube', samples: 4, seed: 3 },
  pipeline: '+mesh',
  limits: { maxToolCalls: 40 },
});
const predecessor = { id: experimentPlanId(document), document };

describe('mergePatch', () => {
  it.each<[string, unknown, unknown, unknown]>([
    [
      'merges objects key by key',
      { a: { x: 1, y: 2 }, b: 1 },
      { a: { y: 3 } },
      { a: { x: 1, y: 3 }, b: 1 },
    ],
    ['replaces arrays', { l: ['a', 'b'] }, { l: ['c'] }, { l: ['c'] }],
    ['removes a field set to null', { a: { x: 1, y: 2 } }, { a: { x: null } }, { a: { y: 2 } }],
    ['adds new fields', { a: 1 }, { b: { c: 2 } }, { a: 1, b: { c: 2 } }],
    ['replaces a scalar by an object', { a: 1 }, { a: { b: 2 } }, { a: { b: 2 } }],
  ])('%s', (_name, target, patch, expected) => {
    const before = JSON.stringify(target);
    expect(mergePatch(target, patch)).toEqual(expected);
    expect(JSON.stringify(target)).toBe(before);
  });

  it('keeps "__proto__" an own field (the schema refuses it), not a prototype', () => {
    const merged = mergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as object;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(['__proto__']);
  });
});

describe('planRevision', () => {
  it('merges the changes, names the predecessor, and says what changed', () => {
    const revision = planRevision(graph, predecessor, {
      title: 'Titanium, more samples',
      variables: { height_m: { max: 0.12 }, thickness_m: null },
      doe: { samples: 8 },
    });
    expect(revision.document).toMatchObject({
      predecessor: predecessor.id,
      variables: { height_m: { min: 0.1, max: 0.12 } },
      doe: { kind: 'latin_hypercube', samples: 8, seed: 3 },
      limits: { maxToolCalls: 40 },
    });
    expect(revision.changes).toEqual([
      { path: 'title', kind: 'changed', before: 'Titanium only', after: 'Titanium, more samples' },
      { path: 'predecessor', kind: 'changed', before: null, after: predecessor.id },
      { path: 'variables.height_m.max', kind: 'changed', before: 0.15, after: 0.12 },
      { path: 'variables.thickness_m', kind: 'removed', before: { min: 0.01, max: 0.02 } },
      { path: 'doe.samples', kind: 'changed', before: 4, after: 8 },
    ]);
  });

  it.each<[string, Record<string, unknown>, [string, RegExp][]]>([
    [
      'a bound beyond the study',
      { variables: { height_m: { max: 0.5 } } },
      [['variables.height_m.max', /0.5 exceeds the study's bound 0.2/]],
    ],
    [
      'an unknown level',
      { levels: { material: ['wood'] } },
      [['levels.material[0]', /"wood" is not a level of the study's material/]],
    ],
    ['a misspelt field', { limts: {} }, [['', /Unrecognized key: "limts"/]]],
    [
      'another predecessor',
      { predecessor: 'plan-0000000000000000' },
      [['predecessor', /names it as its predecessor/]],
    ],
    ['a wrong type', { doe: { samples: 'many' } }, [['doe.samples', /expected number/]]],
  ])('refuses %s, naming each field', (_name, changes, expected) => {
    const error = (() => {
      try {
        planRevision(graph, predecessor, changes);
      } catch (caught) {
        return caught;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(PlanValidationError);
    const issues = (error as PlanValidationError).issues;
    expect(issues.map((i) => i.path)).toEqual(expected.map(([path]) => path));
    expected.forEach(([, message], index) => expect(issues[index]!.message).toMatch(message));
  });

  it('refuses changes that change nothing', () => {
    expect(() =>
      planRevision(graph, predecessor, { doe: { samples: 4 }, predecessor: predecessor.id }),
    ).toThrow(`the changes leave plan ${predecessor.id} as it is`);
  });
});
