// The design space of the plate study (assets/bracket/design-space.json), and its design points:
// the same nested Latin hypercube and material assignment as the cantilever study
// (assets/tools/doe/latin-hypercube.ts), so the first N points never move when N grows.
//
// Variables: width W (mm), hole ratio d/W (the hole diameter is d = ratio * W: every sample is a
// valid plate), thickness t (mm) and the tensile load (kN) on the plate's ends; the length is
// `length_over_width` * W (3 keeps the ends 1.5 W from the hole, where Peterson's Kt holds).
// `mesh` gives the element sizes relative to the plate, so every design is meshed alike.
import { z } from 'zod';
import { designKey, assignMaterials, sampleVariable } from '../tools/doe/latin-hypercube.js';
import { createPrng } from '../tools/doe/prng.js';
import { MATERIAL_NAMES } from '../tools/doe/design-space.js';

/** The sampled variables, in the order they are drawn. */
export const PLATE_VARIABLES = ['width_mm', 'hole_ratio', 'thickness_mm', 'load_kn'] as const;

/** Decimal places of each variable's values: 1 µm, 1e-4 in d/W, 1 N. */
const DECIMALS = { width_mm: 3, hole_ratio: 4, thickness_mm: 3, load_kn: 3 } as const;

/** Upper bound on `samples`: a typo must not start a day of CalculiX runs. */
const MAX_SAMPLES = 1_000;

const bounds = z
  .object({ min: z.number().positive(), max: z.number().positive() })
  .strict()
  .refine((b) => b.min < b.max, { message: 'min must be smaller than max' });

const spaceSchema = z
  .object({
    description: z.string().optional(),
    samples: z.number().int().min(1).max(MAX_SAMPLES),
    seed: z.number().int(),
    variables: z
      .object({
        width_mm: bounds,
        hole_ratio: bounds.refine((b) => b.max < 0.9, { message: 'd/W must stay below 0.9' }),
        thickness_mm: bounds,
        load_kn: bounds,
      })
      .strict(),
    length_over_width: z.number().min(1.5),
    materials: z.array(z.enum(MATERIAL_NAMES)).min(1),
    limits: z
      .object({
        max_displacement_mm: z.number().positive(),
        min_safety_factor: z.number().positive(),
      })
      .strict(),
    mesh: z
      .object({
        size_at_hole_over_radius: z.number().positive().max(1),
        size_max_over_width: z.number().positive().max(1),
        refine_distance_over_width: z.number().positive(),
      })
      .strict(),
  })
  .strict();

/** A validated plate design space. */
export type PlateSpace = z.output<typeof spaceSchema>;

/** One design point of the plate study. */
export const plateDesignSchema = z.object({
  key: z.string(),
  length_mm: z.number(),
  width_mm: z.number(),
  hole_diameter_mm: z.number(),
  thickness_mm: z.number(),
  load_kn: z.number(),
  material: z.enum(MATERIAL_NAMES),
});
export type PlateDesign = z.output<typeof plateDesignSchema>;

/** A design-space file that is not valid: the first problem, with its field path. */
export class PlateSpaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlateSpaceError';
  }
}

/** Parses and validates the file's text; `source` names it in errors. */
export function parsePlateSpace(text: string, source: string): PlateSpace {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlateSpaceError(`${source}: not JSON: ${(error as Error).message}`);
  }
  const parsed = spaceSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PlateSpaceError(`${source}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  return parsed.data;
}

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

/** The first `space.samples` design points. */
export function plateDesigns(space: PlateSpace): PlateDesign[] {
  const n = space.samples;
  const column = (name: (typeof PLATE_VARIABLES)[number]) =>
    sampleVariable(n, createPrng(space.seed, name), space.variables[name], DECIMALS[name]);
  const width = column('width_mm');
  const ratio = column('hole_ratio');
  const thickness = column('thickness_mm');
  const load = column('load_kn');
  const materials = assignMaterials(n, createPrng(space.seed, 'material'), space.materials);
  return Array.from({ length: n }, (_, i) => {
    const w = width[i]!;
    return {
      key: designKey(i + 1),
      length_mm: round(space.length_over_width * w, 3),
      width_mm: w,
      hole_diameter_mm: round(ratio[i]! * w, 3),
      thickness_mm: thickness[i]!,
      load_kn: load[i]!,
      material: materials[i]!,
    };
  });
}
