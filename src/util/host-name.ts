// The name this machine is recorded under (runs, workers, materializations, observations,
// automation ticks): $STRATA_HOST_NAME when set, for machines whose own host name says nothing
// or changes (containers, batch nodes, several workers per host told apart on purpose), else
// the operating system's host name.
import { hostname } from 'node:os';
import { UsageError } from '../errors.js';

/** The environment variable that overrides the recorded host name. */
export const HOST_NAME_ENV = 'STRATA_HOST_NAME';

const VALID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** The recorded host name; a malformed $STRATA_HOST_NAME is a UsageError naming it. */
export function hostName(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const chosen = env[HOST_NAME_ENV];
  if (chosen === undefined || chosen === '') return hostname();
  if (!VALID.test(chosen)) {
    throw new UsageError(`${HOST_NAME_ENV}=${JSON.stringify(chosen)} is not a host name`, {
      hint: 'Use 1 to 63 letters, digits, dots, hyphens or underscores, starting with a letter or digit.',
    });
  }
  return chosen;
}
