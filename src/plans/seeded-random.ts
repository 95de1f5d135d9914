// A seeded pseudo-random source for design-of-experiments sampling: splitmix32 to spread the seed
// and name into a state, then mulberry32-style 32-bit integer steps. Only 32-bit integer
// arithmetic, so a plan's points are identical on every platform and Node version.

/** Uniform numbers from a seed. */
export interface SeededRandom {
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform integer in [0, n). */
  nextInt(n: number): number;
}

const TWO_POW_32 = 4_294_967_296;

function mix(value: number): number {
  let x = (value + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The stream `name` of `seed`: each variable draws from its own, so adding one moves no other. */
export function seededRandom(seed: number, name: string): SeededRandom {
  let state = mix(mix(seed >>> 0) ^ mix(Math.floor(seed / TWO_POW_32) >>> 0) ^ hashName(name));
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    next: () => nextUint32() / TWO_POW_32,
    nextInt: (n) => Math.floor((nextUint32() / TWO_POW_32) * n),
  };
}

/** A uniformly shuffled copy of `items` (Fisher-Yates). */
export function shuffled<T>(items: readonly T[], random: SeededRandom): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}
