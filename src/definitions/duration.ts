// Human durations ("500ms", "30s", "90m", "6h", "2d") parsed to milliseconds.
import { DefinitionError } from '../errors.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** A duration: milliseconds as a number, or a string such as "90m". */
export type Duration = number | `${number}${keyof typeof UNIT_MS}`;

/** Parses a duration to milliseconds; `where` names the field in the error. */
export function parseDuration(value: Duration | string, where: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new DefinitionError(`${where}: ${value} is not a non-negative number of milliseconds`);
    }
    return value;
  }
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) {
    throw new DefinitionError(`${where}: cannot read duration ${JSON.stringify(value)}`, {
      hint: 'write a number and a unit: 500ms, 30s, 90m, 6h or 2d',
    });
  }
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
