// Isotropic linear-elastic materials of the cantilever study, with a lookup that names the
// unknown material and lists the known ones.
import { FeaInputError, numberBetween, positiveNumber } from './validate.js';

/** An isotropic linear-elastic material (SI units). */
export interface Material {
  /** Lookup key, e.g. `steel`. */
  readonly key: string;
  /** Human-readable name. */
  readonly name: string;
  readonly youngsModulusPa: number;
  readonly poissonRatio: number;
  readonly densityKgM3: number;
  /** Tensile yield strength, used for the safety factor against von Mises yield. */
  readonly yieldStrengthPa: number;
}

/** Nominal room-temperature handbook values (MatWeb / ASM typical properties). */
export const MATERIALS: Readonly<Record<string, Material>> = Object.freeze({
  steel: {
    key: 'steel',
    name: 'Structural steel (S250)',
    youngsModulusPa: 210e9,
    poissonRatio: 0.3,
    densityKgM3: 7850,
    yieldStrengthPa: 250e6,
  },
  'aluminium-6061-t6': {
    key: 'aluminium-6061-t6',
    name: 'Aluminium 6061-T6',
    youngsModulusPa: 69e9,
    poissonRatio: 0.33,
    densityKgM3: 2700,
    yieldStrengthPa: 276e6,
  },
  'titanium-ti-6al-4v': {
    key: 'titanium-ti-6al-4v',
    name: 'Titanium Ti-6Al-4V',
    youngsModulusPa: 114e9,
    poissonRatio: 0.34,
    densityKgM3: 4430,
    yieldStrengthPa: 880e6,
  },
});

/** The keys accepted by {@link getMaterial}, sorted. */
export function materialKeys(): string[] {
  return Object.keys(MATERIALS).sort();
}

/** Looks a material up by key; throws a {@link FeaInputError} naming the unknown key otherwise. */
export function getMaterial(key: string, field = 'material'): Material {
  const material = Object.hasOwn(MATERIALS, key) ? MATERIALS[key] : undefined;
  if (!material) {
    const known = materialKeys().join(', ');
    throw new FeaInputError(
      field,
      `${field}: unknown material ${JSON.stringify(key)}; known materials: ${known}`,
    );
  }
  return material;
}

/** Accepts a material key or a material object and returns the checked material. */
export function resolveMaterial(material: string | Material, field = 'material'): Material {
  if (typeof material === 'string') return getMaterial(material, field);
  if (typeof material !== 'object' || material === null) {
    throw new FeaInputError(field, `${field} must be a material key or a material object`);
  }
  positiveNumber(`${field}.youngsModulusPa`, material.youngsModulusPa);
  // Plane-stress D is positive definite only for -1 < nu < 1; isotropic solids have nu < 0.5.
  numberBetween(`${field}.poissonRatio`, material.poissonRatio, -1, 0.5);
  positiveNumber(`${field}.densityKgM3`, material.densityKgM3);
  positiveNumber(`${field}.yieldStrengthPa`, material.yieldStrengthPa);
  return material;
}
