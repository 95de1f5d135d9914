import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses } from '../support/engine.js';

const database = useTestDatabase();

describe('smoke', () => {
  it('materializes a chain then does nothing', async () => {
    const a = asset({ key: 'a', schema: z.number(), compute: () => 1 });
    const b = asset({ key: 'b', deps: { a }, schema: z.number(), compute: ({ inputs }) => inputs.a + 1 });
    const graph = graphOf([a, b]);
    const first = await run(database, graph);
    expect(stepStatuses(first)).toEqual(['a: succeeded', 'b: succeeded']);
    const second = await run(database, graph);
    expect(second.kind).toBe('nothing_to_do');
  });
});
