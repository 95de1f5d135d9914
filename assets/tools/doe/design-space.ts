// The study's design space, read from a JSON file that users edit: the number of design points,
// the seed, the bounds of each continuous variable, the candidate materials and the acceptance
// limits. parseDesignSpace validates it and reports the first problem with its field path.
//
// {
//   "description": "optional free text",
//   "samples": 16,                       integer 1..10000: number of design points
//   "seed": 42,                          any safe integer: same seed => same designs
//   "variables": {                       all four, each { "min": >0, "max": >min }
//     "length_m":    { "min": 0.8,  "max": 2.0 },
//     "height_m":    { "min": 0.08, "max": 0.25 },
//     "thickness_m": { "min": 0.01, "max": 0.04 },
//     "tip_load_n":  { "min": 500,  "max": 5000 }
//   },
//   "materials": ["steel", "aluminium", "titanium"],   non-empty, no repeats
//   "limits": { "max_tip_deflection_m": 0.01, "min_safety_factor": 1 }   the latter optional
// }
import { z } from 'zod';
import { gridSizeFor } from './grid.js';
import { findJsonSyntaxProblem } from './json-syntax.js';

/** Materials a design may use; the FEA library holds their properties. */
export const MATERIAL_NAMES = ['steel', 'aluminium', 'titanium'] as const;
export type MaterialName = (typeof MATERIAL_NAMES)[number];

/** The continuous design variables, in the order the sampler draws them. */
export const VARIABLE_NAMES = ['length_m', 'height_m', 'thickness_m', 'tip_load_n'] as const;
export type VariableName = (typeof VARIABLE_NAMES)[number];

/**
 * Decimal places each variable's sampled values are rounded to: 1 µm for lengths, 1 mN for the
 * load. Plenty for a beam study, and short decimal values are exact across platforms and
 * readable in ids and reports.
 */
export const VARIABLE_DECIMALS: Readonly<Record<VariableName, number>> = Object.freeze({
  length_m: 6,
  height_m: 6,
  thickness_m: 6,
  tip_load_n: 3,
});

/** Upper bound on `samples`: keeps a typo (160000) from launching a day of FEA runs. */
export const MAX_SAMPLES = 10_000;

/**
 * Rounding steps each stratum of the sampling grid must span (see latin-hypercube.ts): with two,
 * a rounded value always lies strictly inside, so boundary round-off cannot leave it empty.
 */
export const MIN_STEPS_PER_STRATUM = 2;

/** Used when `limits.min_safety_factor` is absent: a design must not yield. */
export const DEFAULT_MIN_SAFETY_FACTOR = 1;

/** Bounds of one continuous variable; min < max, both positive. */
export interface VariableBounds {
  readonly min: number;
  readonly max: number;
}

/** Acceptance limits of the study. */
export interface DesignLimits {
  readonly max_tip_deflection_m: number;
  readonly min_safety_factor: number;
}

/** A validated design space. */
export interface DesignSpace {
  readonly description?: string | undefined;
  readonly samples: number;
  readonly seed: number;
  readonly variables: Readonly<Record<VariableName, VariableBounds>>;
  readonly materials: readonly MaterialName[];
  readonly limits: DesignLimits;
}

/** One problem found in a design-space file. */
export interface DesignSpaceIssue {
  /** Field path such as `variables.height_m.min` or `materials[1]`; empty for the whole file. */
  readonly field: string;
  readonly problem: string;
}

/** A design-space file that cannot be used; the message names the file, field and problem. */
export class DesignSpaceError extends Error {
  readonly source: string;
  /** Every problem found; the message shows the first. */
  readonly issues: readonly DesignSpaceIssue[];

  constructor(source: string, issues: readonly DesignSpaceIssue[]) {
    const [first = { field: '', problem: 'invalid' }] = issues;
    const where = first.field === '' ? '' : `${first.field}: `;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s))` : '';
    super(`design space ${source}: ${where}${first.problem}${more}`);
    this.name = 'DesignSpaceError';
    this.source = source;
    this.issues = issues;
  }

  /** The path of the first offending field (empty for the whole file). */
  get field(): string {
    return this.issues[0]?.field ?? '';
  }
}

/** Longest rendering of a received value in a message, so a pasted blob stays readable. */
const MAX_DESCRIBED_LENGTH = 40;

/** Renders a received value for a message: `"two"`, `-1`, `Infinity`, `[1,2]`. */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_DESCRIBED_LENGTH
    ? `${text.slice(0, MAX_DESCRIBED_LENGTH - 3)}...`
    : text;
}

/** Renders a number without floating-point noise (0.016384, not 0.016384000000000002). */
function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

function list(names: readonly string[]): string {
  return names.join(', ');
}

/** `strictObject` whose unknown-key error lists the allowed keys (catches typos like `sample`). */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const unknown = issue.keys.map((k) => JSON.stringify(k)).join(', ');
      return `unknown ${what} ${unknown} (known: ${list(Object.keys(shape))})`;
    },
  });
}

const positive = z.number().positive();

const bounds = strictObject({ min: positive, max: positive }, 'field').superRefine((b, ctx) => {
  if (!(b.min < b.max)) {
    ctx.addIssue({ code: 'custom', message: `min (${b.min}) must be below max (${b.max})` });
  }
});

const material = z.enum(MATERIAL_NAMES, {
  error: (issue) => `unknown material ${describe(issue.input)} (known: ${list(MATERIAL_NAMES)})`,
});

const materials = z
  .array(material)
  .min(1)
  .superRefine((names, ctx) => {
    names.forEach((name, i) => {
      const first = names.indexOf(name);
      if (first !== i) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `material "${name}" is listed twice (also materials[${first}])`,
        });
      }
    });
  });

const variableShape = Object.fromEntries(VARIABLE_NAMES.map((name) => [name, bounds])) as Record<
  VariableName,
  typeof bounds
>;

const schema = strictObject(
  {
    description: z.string().optional(),
    samples: z.number().int().min(1).max(MAX_SAMPLES),
    seed: z.number().int(),
    variables: strictObject(variableShape, 'variable'),
    materials,
    limits: strictObject(
      {
        max_tip_deflection_m: positive,
        min_safety_factor: positive.default(DEFAULT_MIN_SAFETY_FACTOR),
      },
      'limit',
    ),
  },
  'field',
).superRefine((space, ctx) => {
  // Each stratum of the finest grid must hold rounded values for the sampler to place a point
  // in it; MIN_STEPS_PER_STRATUM keeps one strictly inside, clear of floating-point boundaries.
  // Zod runs this even after other issues; a bad sample count is reported on its own.
  if (!Number.isInteger(space.samples) || space.samples < 1 || space.samples > MAX_SAMPLES) return;
  const grid = gridSizeFor(space.samples);
  for (const name of VARIABLE_NAMES) {
    const { min, max } = space.variables[name];
    const step = 10 ** -VARIABLE_DECIMALS[name];
    // Inverted bounds are reported on their own; a negative range is no news.
    if (min < max && (max - min) / grid < MIN_STEPS_PER_STRATUM * step) {
      ctx.addIssue({
        code: 'custom',
        path: ['variables', name],
        message:
          `range ${formatNumber(max - min)} is too narrow for ${space.samples} samples at a ` +
          `resolution of ${formatNumber(step)} (max - min must be at least ${formatNumber(grid * MIN_STEPS_PER_STRATUM * step)})`,
      });
    }
  }
});

/** `variables.height_m`, `materials[1]`: the path of an issue as a person would write it. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

const EXPECTED: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  object: 'an object',
  array: 'an array',
};

/** One zod issue as a short sentence that says what was expected and what was found. */
function problemOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (issue.input === undefined && !('received' in issue))
        return `missing (expected ${expected})`;
      const received = 'received' in issue ? String(issue.received) : describe(issue.input);
      return `expected ${expected}, got ${received}`;
    }
    case 'too_small': {
      if (issue.origin === 'array') return `must list at least ${issue.minimum} entry(ies)`;
      const got = `, got ${describe(issue.input)}`;
      if (issue.minimum === 0 && !issue.inclusive) return `must be positive${got}`;
      return `must be ${issue.inclusive ? 'at least' : 'above'} ${issue.minimum}${got}`;
    }
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'below'} ${issue.maximum}, got ${describe(issue.input)}`;
    default:
      return issue.message;
  }
}

/** JSON.parse with a syntax error turned into a DesignSpaceError that gives line and column. */
function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const problem = findJsonSyntaxProblem(text);
    const detail =
      problem === undefined
        ? `: ${error instanceof Error ? error.message : String(error)}`
        : ` at line ${problem.line}, column ${problem.column}: ${problem.message}`;
    throw new DesignSpaceError(source, [{ field: '', problem: `invalid JSON${detail}` }]);
  }
}

/** Parses and validates a design-space file; throws DesignSpaceError naming the offending field. */
export function parseDesignSpace(text: string, source: string): DesignSpace {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const data = parseJson(text.replace(/^\uFEFF/, ''), source);
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) {
    // An unknown field first: `sample` for `samples` also makes `samples` missing, and the
    // unknown-field message is the one that points at the typo.
    const issues = [...result.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    throw new DesignSpaceError(
      source,
      issues.map((issue) => ({
        field: fieldPath(issue.path),
        problem: problemOf(issue),
      })),
    );
  }
  return result.data;
}
