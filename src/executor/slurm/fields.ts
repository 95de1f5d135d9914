// Parsers of the fields Slurm's commands print: `|`-separated lines, durations (`2-01:02:03`,
// `1:05`, sacct's `00:01.234`), sizes (`1234K`), exit codes (`3:0`) and empty markers (`(null)`,
// `N/A`).

/**
 * The `|`-separated fields of one line of squeue or sacct output, by the names of the requested
 * format's fields in order; undefined when the line has another number of fields.
 */
export function pipeFields<const Names extends readonly string[]>(
  line: string,
  names: Names,
): Record<Names[number], string> | undefined {
  const fields = line.split('|');
  if (fields.length !== names.length) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, fields[index]!])) as Record<
    Names[number],
    string
  >;
}

/** Slurm's "no value" spellings. */
const EMPTY = new Set(['', '(null)', 'N/A', 'None', 'Unknown', 'UNLIMITED', 'INVALID']);

/** The field, or undefined when Slurm printed one of its "no value" markers. */
export function presentField(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return EMPTY.has(trimmed) ? undefined : trimmed;
}

const DURATION = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)(?:\.(\d+))?$/;

/**
 * Seconds of a Slurm duration: `[D-][HH:]MM:SS[.fff]` (squeue's `0:03`, scontrol's `00:00:03`,
 * sacct's `1-02:03:04` and `00:01.234`); undefined for an empty or unreadable field.
 */
export function parseSlurmDuration(text: string | undefined): number | undefined {
  const value = presentField(text);
  if (value === undefined) return undefined;
  const match = DURATION.exec(value);
  if (!match) return undefined;
  const [, days, hours, minutes, seconds, fraction] = match;
  return (
    Number(days ?? 0) * 86_400 +
    Number(hours ?? 0) * 3_600 +
    Number(minutes) * 60 +
    Number(seconds) +
    (fraction === undefined ? 0 : Number(`0.${fraction}`))
  );
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
  P: 1024 ** 5,
};

/** Bytes of a Slurm size such as sacct's MaxRSS `12345K` (no suffix: bytes). */
export function parseSlurmSize(text: string | undefined): number | undefined {
  const value = presentField(text);
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)([KMGTP]?)$/i.exec(value);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toUpperCase()]!);
}

/** A job's exit: the script's exit code and the signal that ended it (0: none). */
export interface SlurmExitCode {
  readonly code: number;
  readonly signal: number;
}

/** Reads `3:0` (exit code 3, no signal) or `0:15` (killed by signal 15). */
export function parseExitCode(text: string | undefined): SlurmExitCode | undefined {
  const value = presentField(text);
  const match = value === undefined ? null : /^(\d+):(\d+)$/.exec(value);
  return match ? { code: Number(match[1]), signal: Number(match[2]) } : undefined;
}
