// The material-properties file of the study (assets/material-properties.json, as a materials
// database would export it): parsed and checked, with errors that name the file and the field.
import { z } from 'zod';
import { materialSchema } from './tools/fea/material-schema.js';
import type { Material } from './tools/fea/materials.js';

const materialEntry = z.object({
  name: z.string().min(1),
  youngs_modulus_pa: z.number().positive(),
  // Plane-stress stiffness is positive definite only for -1 < nu < 0.5 (isotropic solids).
  poisson_ratio: z.number().gt(-1).lt(0.5),
  density_kg_m3: z.number().positive(),
  yield_strength_pa: z.number().positive(),
});

const fileSchema = z.object({
  description: z.string().optional(),
  materials: z.record(z.string(), materialEntry),
});

/** Materials by the design space's material name (steel, aluminium, titanium). */
export type MaterialTable = Readonly<Record<string, Material>>;

/** The schema of the material_properties source asset's value. */
export const materialTableSchema = z.record(z.string(), materialSchema);

/** A file that is not a valid material table; the message names the file and the field. */
export class MaterialTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MaterialTableError';
  }
}

/** Parses and checks the material-properties file `text` read from `path`. */
export function parseMaterialTable(text: string, path: string): MaterialTable {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MaterialTableError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MaterialTableError(`${path}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  const table: Record<string, Material> = {};
  for (const [name, entry] of Object.entries(parsed.data.materials)) {
    table[name] = {
      key: name,
      name: entry.name,
      youngsModulusPa: entry.youngs_modulus_pa,
      poissonRatio: entry.poisson_ratio,
      densityKgM3: entry.density_kg_m3,
      yieldStrengthPa: entry.yield_strength_pa,
    };
  }
  return table;
}
