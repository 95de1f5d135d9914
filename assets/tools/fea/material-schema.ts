// The schema of a material's properties as the solver tool accepts them and as the
// material_properties source asset holds them (SI units; see materials.ts for the type).
import { z } from 'zod';

/** A Material object (materials.ts) as JSON. */
export const materialSchema = z.object({
  key: z.string(),
  name: z.string(),
  youngsModulusPa: z.number(),
  poissonRatio: z.number(),
  densityKgM3: z.number(),
  yieldStrengthPa: z.number(),
});
