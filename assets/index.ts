// The example asset graph run by `strata materialize`: a small cantilever-beam study. A design
// space yields design points (one partition each), each point gets a closed-form Euler-Bernoulli
// tip deflection and bending stress, and a fan-in picks the lightest design that meets the limits.
import { allPartitions, asset, defineAssets, producedPartitions } from 'strata';
import { z } from 'zod';

const designPoint = z.object({
  id: z.string(),
  lengthM: z.number(),
  heightM: z.number(),
  widthM: z.number(),
});

/** Study settings: load, material and limits. */
export const studySettings = asset({
  key: 'study_settings',
  group: 'beam_study',
  description: 'Tip load, material and acceptance limits of the cantilever study',
  codeVersion: '1',
  schema: z.object({
    tipLoadN: z.number(),
    youngsModulusPa: z.number(),
    densityKgM3: z.number(),
    maxDeflectionM: z.number(),
    maxStressPa: z.number(),
  }),
  compute: () => ({
    tipLoadN: 2_000,
    youngsModulusPa: 210e9,
    densityKgM3: 7_850,
    maxDeflectionM: 0.01,
    maxStressPa: 250e6,
  }),
});

/** A full-factorial grid of beam geometries; its output defines the design partitions. */
export const designs = asset({
  key: 'designs',
  group: 'beam_study',
  description: 'Design points: a grid over beam length and section height',
  codeVersion: '1',
  schema: z.object({ points: z.array(designPoint) }),
  compute: () => {
    const points = [];
    for (const lengthM of [1, 1.5, 2]) {
      for (const heightM of [0.08, 0.1, 0.12]) {
        points.push({
          id: `L${lengthM * 100}_h${heightM * 1000}`.replace('.', '_'),
          lengthM,
          heightM,
          widthM: 0.05,
        });
      }
    }
    return { points };
  },
});

const perDesign = producedPartitions(designs, (value: { points: { id: string }[] }) =>
  value.points.map((p) => p.id),
);

/** The geometry of one design point. */
export const beam = asset({
  key: 'beam',
  group: 'beam_study',
  description: 'Geometry of one design point',
  partitions: perDesign,
  deps: { designs },
  schema: designPoint,
  compute: ({ inputs, partitionKey }) => {
    const point = inputs.designs.points.find((p) => p.id === partitionKey);
    if (!point) throw new Error(`no design point ${partitionKey}`);
    return point;
  },
});

/** Tip deflection, bending stress and mass of one design (Euler-Bernoulli cantilever). */
export const response = asset({
  key: 'response',
  group: 'beam_study',
  description: 'Tip deflection (P L^3 / 3EI), root bending stress (M c / I) and mass',
  partitions: perDesign,
  deps: { beam, settings: studySettings },
  schema: z.object({ tipDeflectionM: z.number(), maxStressPa: z.number(), massKg: z.number() }),
  compute: ({ inputs, metadata }) => {
    const { lengthM, heightM, widthM } = inputs.beam;
    const { tipLoadN, youngsModulusPa, densityKgM3 } = inputs.settings;
    const secondMoment = (widthM * heightM ** 3) / 12;
    const result = {
      tipDeflectionM: (tipLoadN * lengthM ** 3) / (3 * youngsModulusPa * secondMoment),
      maxStressPa: (tipLoadN * lengthM * (heightM / 2)) / secondMoment,
      massKg: densityKgM3 * lengthM * heightM * widthM,
    };
    metadata({ tip_deflection_mm: result.tipDeflectionM * 1e3, mass_kg: result.massKg });
    return result;
  },
});

/** The lightest design within the deflection and stress limits. */
export const recommendation = asset({
  key: 'recommendation',
  group: 'beam_study',
  description: 'Lightest design meeting the deflection and stress limits',
  deps: { responses: allPartitions(response), settings: studySettings },
  schema: z.object({
    design: z.string().nullable(),
    feasible: z.number(),
    massKg: z.number().nullable(),
  }),
  compute: ({ inputs, metadata }) => {
    const feasible = Object.entries(inputs.responses)
      .filter(
        ([, r]) =>
          r.tipDeflectionM <= inputs.settings.maxDeflectionM &&
          r.maxStressPa <= inputs.settings.maxStressPa,
      )
      .sort(([a, x], [b, y]) => x.massKg - y.massKg || (a < b ? -1 : 1));
    const best = feasible[0];
    metadata({ feasible_designs: feasible.length });
    return {
      design: best?.[0] ?? null,
      feasible: feasible.length,
      massKg: best?.[1].massKg ?? null,
    };
  },
});

export default defineAssets([studySettings, designs, beam, response, recommendation]);
