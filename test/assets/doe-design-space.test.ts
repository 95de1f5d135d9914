// The design-space file: a valid file parses; every kind of bad input fails with one message that
// names the file, the field path and the problem.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DesignSpaceError,
  MATERIAL_NAMES,
  parseDesignSpace,
} from '../../assets/tools/doe/design-space.js';

const SOURCE = 'assets/design-space.json';
const exampleText = readFileSync(
  new URL('../../assets/tools/doe/example-design-space.json', import.meta.url),
  'utf8',
);

type Json = Record<string, unknown>;

/** The example as a plain object, with `edit` applied to a deep copy. */
function example(edit: (space: Json) => void = () => {}): string {
  const space = JSON.parse(exampleText) as Json;
  edit(space);
  return JSON.stringify(space, null, 2);
}

function variables(space: Json): Record<string, Json> {
  return space.variables as Record<string, Json>;
}

function errorOf(text: string): DesignSpaceError {
  try {
    parseDesignSpace(text, SOURCE);
  } catch (error) {
    if (error instanceof DesignSpaceError) return error;
    throw error;
  }
  throw new Error('expected a DesignSpaceError');
}

describe('parseDesignSpace', () => {
  it('parses the example and fills in defaults', () => {
    const space = parseDesignSpace(exampleText, SOURCE);
    expect(space.samples).toBe(16);
    expect(space.seed).toBe(42);
    expect(space.variables.height_m).toEqual({ min: 0.08, max: 0.25 });
    expect(space.materials).toEqual(['steel', 'aluminium', 'titanium']);
    expect(space.limits).toEqual({ max_tip_deflection_m: 0.01, min_safety_factor: 1 });
  });

  it('exports the known materials', () => {
    expect(MATERIAL_NAMES).toEqual(['steel', 'aluminium', 'titanium']);
  });

  it('accepts a byte-order mark and an explicit minimum safety factor', () => {
    const text = example((s) => {
      s.limits = { max_tip_deflection_m: 0.02, min_safety_factor: 1.5 };
    });
    expect(parseDesignSpace(`\uFEFF${text}`, SOURCE).limits.min_safety_factor).toBe(1.5);
  });

  const cases: [string, (space: Json) => void, string][] = [
    [
      'inverted bounds',
      (s) => (variables(s).height_m = { min: 0.3, max: 0.25 }),
      'variables.height_m: min (0.3) must be below max (0.25)',
    ],
    [
      'equal bounds',
      (s) => (variables(s).length_m = { min: 1, max: 1 }),
      'variables.length_m: min (1) must be below max (1)',
    ],
    [
      'unknown material',
      (s) => (s.materials = ['steel', 'unobtainium']),
      'materials[1]: unknown material "unobtainium" (known: steel, aluminium, titanium)',
    ],
    [
      'repeated material',
      (s) => (s.materials = ['steel', 'titanium', 'steel']),
      'materials[2]: material "steel" is listed twice (also materials[0])',
    ],
    ['no materials', (s) => (s.materials = []), 'materials: must list at least 1 entry(ies)'],
    [
      'non-numeric bound',
      (s) => (variables(s).length_m = { min: 0.8, max: 'two' }),
      'variables.length_m.max: expected a number, got "two"',
    ],
    [
      'negative load',
      (s) => (variables(s).tip_load_n = { min: -1, max: 10 }),
      'variables.tip_load_n.min: must be positive, got -1',
    ],
    [
      'zero thickness',
      (s) => (variables(s).thickness_m = { min: 0, max: 0.01 }),
      'variables.thickness_m.min: must be positive, got 0',
    ],
    [
      'missing variable',
      (s) => delete variables(s).thickness_m,
      'variables.thickness_m: missing (expected an object)',
    ],
    [
      'missing bound',
      (s) => (variables(s).height_m = { min: 0.1 }),
      'variables.height_m.max: missing (expected a number)',
    ],
    [
      'unknown variable',
      (s) => (variables(s).width_m = { min: 1, max: 2 }),
      'variables: unknown variable "width_m" (known: length_m, height_m, thickness_m, tip_load_n)',
    ],
    [
      'unknown bound field',
      (s) => (variables(s).height_m = { min: 0.1, max: 0.2, step: 0.01 }),
      'variables.height_m: unknown field "step" (known: min, max)',
    ],
    [
      'misspelt top-level field',
      (s) => {
        s.sample = s.samples;
        delete s.samples;
      },
      'unknown field "sample" (known: description, samples, seed, variables, materials, limits)' +
        ' (and 1 more problem(s))',
    ],
    ['zero samples', (s) => (s.samples = 0), 'samples: must be at least 1, got 0'],
    ['too many samples', (s) => (s.samples = 10_001), 'samples: must be at most 10000, got 10001'],
    ['fractional samples', (s) => (s.samples = 16.5), 'samples: expected an integer, got 16.5'],
    ['string seed', (s) => (s.seed = '42'), 'seed: expected a number, got "42"'],
    ['fractional seed', (s) => (s.seed = 0.5), 'seed: expected an integer, got 0.5'],
    [
      'missing limit',
      (s) => (s.limits = {}),
      'limits.max_tip_deflection_m: missing (expected a number)',
    ],
    [
      'unknown limit',
      (s) => (s.limits = { max_tip_deflection_m: 0.01, max_stress_pa: 1e8 }),
      'limits: unknown limit "max_stress_pa" (known: max_tip_deflection_m, min_safety_factor)',
    ],
    [
      'range too narrow for the sample count',
      (s) => {
        s.samples = 10_000;
        variables(s).thickness_m = { min: 0.01, max: 0.02 };
      },
      'variables.thickness_m: range 0.01 is too narrow for 10000 samples at a resolution of ' +
        '0.000001 (max - min must be at least 0.032768)',
    ],
  ];

  it.each(cases)('rejects %s', (_name, edit, expected) => {
    const error = errorOf(example(edit));
    expect(error.message).toBe(`design space ${SOURCE}: ${expected}`);
    expect(error.source).toBe(SOURCE);
    expect(error.field).toBe(/^[\w.[\]]+(?=: )/.exec(expected)?.[0] ?? '');
  });

  it('reports an infinite number (1e999 parses as Infinity)', () => {
    const text = example().replace('"max": 2', '"max": 1e999');
    expect(errorOf(text).message).toBe(
      `design space ${SOURCE}: variables.length_m.max: expected a number, got Infinity`,
    );
  });

  it('says how many more problems there are, and keeps them all', () => {
    const error = errorOf(
      example((s) => {
        s.samples = 0;
        s.materials = ['gold'];
      }),
    );
    expect(error.message).toMatch(/^design space .*: samples: .* \(and 1 more problem\(s\)\)$/);
    expect(error.issues.map((i) => i.field)).toEqual(['samples', 'materials[0]']);
  });

  it('rejects a file that is not an object', () => {
    expect(errorOf('[1, 2]').message).toBe(`design space ${SOURCE}: expected an object, got [1,2]`);
  });

  const badJson: [string, string, string][] = [
    [
      'trailing comma',
      '{\n  "samples": 16,\n}',
      'line 3, column 1: expected a property name in double quotes, found "}"',
    ],
    [
      'bare word',
      '{\n  "variables": {\n    "length_m": { "min": two } } }',
      'line 3, column 26: expected a value (text needs double quotes), found "two"',
    ],
    ['empty file', '', 'line 1, column 1: expected a value, found end of file'],
    [
      'unterminated object',
      '{ "samples": 16',
      "line 1, column 16: expected ',' or '}', found end of file",
    ],
  ];

  it.each(badJson)('reports invalid JSON with line and column: %s', (_name, text, expected) => {
    const error = errorOf(text);
    expect(error.message).toBe(`design space ${SOURCE}: invalid JSON at ${expected}`);
    expect(error.field).toBe('');
  });
});
