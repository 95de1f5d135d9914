// Streaming artifacts from inside compute functions: ctx.artifacts.putStream stores a stream
// (recorded and linked like put), and a dependant reads it back with ctx.artifacts.openReadStream,
// verified against its hash, without either holding the whole file.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, artifactRefSchema } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses, tempArtifacts } from '../support/engine.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
const CHUNK = 1024 * 1024;
const CHUNKS = 8;

/** CHUNKS MiB of varied bytes, one chunk at a time. */
async function* fieldBytes(): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < CHUNKS; i++) yield Buffer.alloc(CHUNK, i);
}

/** The sha256 of fieldBytes(). */
async function expectedHash(): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fieldBytes()) hash.update(chunk);
  return hash.digest('hex');
}

describe('ctx.artifacts streams', () => {
  it('stores a stream, links it to the materialization, and streams it to a dependant', async () => {
    const field = asset({
      key: 'stream/field',
      codeVersion: '1',
      schema: artifactRefSchema,
      compute: (ctx) => ctx.artifacts.putStream('field.bin', fieldBytes()),
    });
    const stats = asset({
      key: 'stream/stats',
      codeVersion: '1',
      deps: { field },
      schema: z.object({ bytes: z.number(), sha256: z.string() }),
      compute: async (ctx) => {
        const hash = createHash('sha256');
        let bytes = 0;
        for await (const chunk of await ctx.artifacts.openReadStream(ctx.inputs.field)) {
          hash.update(chunk as Buffer);
          bytes += (chunk as Buffer).byteLength;
        }
        return { bytes, sha256: hash.digest('hex') };
      },
    });
    const outcome = await run(database, graphOf([field, stats]), { artifacts });
    expect(stepStatuses(outcome)).toEqual(['stream/field: succeeded', 'stream/stats: succeeded']);

    const hex = await expectedHash();
    const linked = await database.db
      .selectFrom('strata_internal.materialization_artifacts')
      .select(['name', 'sha256'])
      .where('name', '=', 'field.bin')
      .execute();
    expect(linked).toEqual([{ name: 'field.bin', sha256: hex }]);
    const latest = await database.db
      .selectFrom('strata_internal.materializations')
      .select('value')
      .where('asset_key', '=', 'stream/stats')
      .executeTakeFirstOrThrow();
    expect(latest.value).toEqual({ bytes: CHUNK * CHUNKS, sha256: hex });
  });
});
