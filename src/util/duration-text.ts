// Durations in words for people: "6h" for a declared policy, "2h 5m" for how late something is.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: readonly (readonly [string, number])[] = [
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
  ['s', SECOND],
];

/** A duration as it would be declared: the largest unit that divides it ("90m", "6h", "2d", "500ms"). */
export function declaredDuration(ms: number): string {
  for (const [unit, size] of UNITS) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** A duration in words to a minute's precision past an hour: "0s", "850ms", "45s", "12m 5s", "2h 5m", "3d 4h". */
export function durationInWords(ms: number): string {
  const rounded = Math.max(0, Math.round(ms));
  if (rounded === 0) return '0s';
  if (rounded < SECOND) return `${rounded}ms`;
  for (let i = 0; i < UNITS.length; i++) {
    const [unit, size] = UNITS[i]!;
    if (rounded < size) continue;
    const whole = Math.floor(rounded / size);
    const next = UNITS[i + 1];
    if (next === undefined) return `${whole}${unit}`;
    const rest = Math.floor((rounded % size) / next[1]);
    return rest === 0 ? `${whole}${unit}` : `${whole}${unit} ${rest}${next[0]}`;
  }
  return `${rounded}ms`;
}
