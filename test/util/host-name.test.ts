// The recorded host name: $STRATA_HOST_NAME when set and well formed, else the system's; a
// malformed one is refused with a message naming the variable.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { hostName } from '../../src/util/host-name.js';

describe('hostName', () => {
  it.each([
    [{}, hostname()],
    [{ STRATA_HOST_NAME: '' }, hostname()],
    [{ STRATA_HOST_NAME: 'machine-a' }, 'machine-a'],
    [{ STRATA_HOST_NAME: 'node017.cluster_2' }, 'node017.cluster_2'],
    [{ STRATA_HOST_NAME: 'x'.repeat(63) }, 'x'.repeat(63)],
  ])('%j is recorded as %s', (env, expected) => {
    expect(hostName(env)).toBe(expected);
  });

  it.each(['-leading', 'has space', 'a:b', 'x'.repeat(64), 'é'])('refuses %j', (name) => {
    const call = () => hostName({ STRATA_HOST_NAME: name });
    expect(call).toThrow(UsageError);
    expect(call).toThrow(/STRATA_HOST_NAME=/);
  });
});
