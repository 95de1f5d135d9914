// A small seeded pseudo-random generator (xoshiro128**, Blackman & Vigna 2018) with named
// streams, so each design variable draws from its own sequence and the designs are identical on
// every platform: only 32-bit integer arithmetic, no Math.random.

/** A seeded source of uniform random numbers. */
export interface Prng {
  /** The next 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform float in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** A uniform integer in [0, n) for 1 <= n <= 2^32. */
  nextInt(n: number): number;
}

/** 2^32, to turn a 32-bit unsigned integer into a float in [0, 1). */
const TWO_POW_32 = 4_294_967_296;

/** The golden-ratio increment of splitmix32: spreads consecutive seeds over the state space. */
const GOLDEN_GAMMA = 0x9e3779b9;

/** FNV-1a 32-bit offset basis and prime: a simple, well-known string hash for stream names. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  }
  return h >>> 0;
}

/** xoshiro128** over an explicit state of four 32-bit words (not all zero). */
export function xoshiro128ss(state: readonly [number, number, number, number]): Prng {
  let [s0, s1, s2, s3] = state.map((w) => w >>> 0) as [number, number, number, number];
  if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128** state must not be all zero');
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };
  const next = (): number => nextUint32() / TWO_POW_32;
  // floor(u * n) has a bias of at most n / 2^32, far below anything a design of <= 10,000
  // points can show, and keeps exactly one draw per call (so streams stay aligned).
  const nextInt = (n: number): number => Math.floor(next() * n);
  return { nextUint32, next, nextInt };
}

/**
 * A generator for `seed` (any safe integer) and a named `stream`: the seed's 64 bits and the
 * stream's FNV-1a hash are folded into a 32-bit key, which splitmix32 expands into the state.
 */
export function createPrng(seed: number, stream: string): Prng {
  if (!Number.isSafeInteger(seed))
    throw new RangeError(`seed must be a safe integer (got ${seed})`);
  const big = BigInt(seed);
  const low = Number(BigInt.asUintN(32, big));
  const high = Number(BigInt.asUintN(32, big >> 32n));
  let key = fmix32(low ^ GOLDEN_GAMMA);
  key = fmix32(key ^ high);
  key = fmix32(key ^ fnv1a(stream));
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    key = (key + GOLDEN_GAMMA) >>> 0;
    words.push(fmix32(key));
  }
  const [a = 0, b = 0, c = 0, d = 0] = words;
  // fmix32 is a bijection, so four consecutive splitmix outputs are never all zero.
  return xoshiro128ss([a, b, c, d]);
}
