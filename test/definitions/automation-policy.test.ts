// asset({ automation }): the policies the daemon understands, and clear errors for the rest.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset } from '../../src/definitions/index.js';
import { DefinitionError } from '../../src/errors.js';

const declare = (automation: unknown) =>
  asset({
    key: 'metrics',
    schema: z.number(),
    codeVersion: '1',
    // Deliberately unchecked: the cases include what TypeScript would refuse.
    ...({ automation } as object),
    compute: () => 1,
  });

describe('asset({ automation })', () => {
  it.each([
    { automation: undefined, policy: undefined },
    { automation: 'eager', policy: { kind: 'eager' } },
  ])('$automation is $policy', ({ automation, policy }) => {
    expect(declare(automation).automation).toEqual(policy);
  });

  it.each([
    {
      automation: 'sometimes',
      message: `asset metrics: automation must be one of 'eager', not "sometimes"`,
    },
    { automation: 42, message: `asset metrics: automation must be one of 'eager', not 42` },
  ])('refuses $automation', ({ automation, message }) => {
    expect(() => declare(automation)).toThrow(DefinitionError);
    expect(() => declare(automation)).toThrow(message);
  });
});
