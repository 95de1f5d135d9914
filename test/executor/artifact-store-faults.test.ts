// An artifact store that fails under a step is the machine's fault, not the asset's: the attempt
// is handed back and tried again after a growing wait, spending none of the asset's retry
// budget, however the asset's code reacted to the failure; after storeRetries hand-backs the
// next failure is the asset's own. The store here fails for real: its root is a regular file,
// so every write fails with ENOTDIR. (test/cli/artifact-store-full.test.ts fills a real
// file-size limit and lets the worker recover.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { asset } from '../../src/definitions/index.js';
import { decideStoreFault, MAX_STORE_RETRY_MS } from '../../src/executor/store-fault-retry.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { attemptStatuses, runEvents, stepOf, summaryOf } from './helpers.js';

const database = useTestDatabase();

describe('decideStoreFault', () => {
  it.each([
    { earlier: 0, firstDelayMs: 1_000, limit: 8, expected: { kind: 'hand_back', delayMs: 1_000 } },
    { earlier: 1, firstDelayMs: 1_000, limit: 8, expected: { kind: 'hand_back', delayMs: 2_000 } },
    { earlier: 5, firstDelayMs: 1_000, limit: 8, expected: { kind: 'hand_back', delayMs: 32_000 } },
    {
      earlier: 7,
      firstDelayMs: 1_000,
      limit: 8,
      expected: { kind: 'hand_back', delayMs: MAX_STORE_RETRY_MS },
    },
    { earlier: 8, firstDelayMs: 1_000, limit: 8, expected: { kind: 'fail' } },
    { earlier: 0, firstDelayMs: 50, limit: 0, expected: { kind: 'fail' } },
  ])('after $earlier store failures (first wait $firstDelayMs ms, limit $limit)', (c) => {
    expect(decideStoreFault(c.earlier, { firstDelayMs: c.firstDelayMs, limit: c.limit })).toEqual(
      c.expected,
    );
  });
});

/** A store whose root is a regular file: every write fails at the file system (ENOTDIR). */
function brokenStore(): LocalArtifactStore {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'strata-broken-store-')), 'not-a-dir');
  writeFileSync(file, '');
  return new LocalArtifactStore(file);
}

const REACTIONS: Record<string, (error: unknown) => never> = {
  'rethrows it': (error) => {
    throw error;
  },
  'wraps it': (error) => {
    throw new Error('could not save the mesh', { cause: error });
  },
  'throws its own error instead': () => {
    throw new Error('no mesh today');
  },
};

describe('an artifact store that fails under a step', () => {
  it.each(Object.keys(REACTIONS))(
    'hands the attempt back with a growing wait when the code %s, then fails it as the asset’s own',
    async (reaction) => {
      const mesh = asset({
        key: 'mesh',
        schema: z.string(),
        // No retries of its own: a store failure that spent one would fail the step at once.
        retry: { maxAttempts: 1 },
        compute: async (ctx) => {
          try {
            return (await ctx.artifacts.put('mesh.vtk', 'x'.repeat(1000))).artifact;
          } catch (error) {
            return REACTIONS[reaction]!(error);
          }
        },
      });
      const outcome = await run(database, graphOf([mesh]), {
        artifacts: brokenStore(),
        storeRetryMs: 40,
        storeRetries: 2,
      });
      const summary = summaryOf(outcome);
      const step = stepOf(summary, 'mesh');
      expect(summary.status).toBe('failed');
      expect(await attemptStatuses(database, step.stepId)).toEqual(['lost', 'lost', 'failed']);
      const attempts = await database.db
        .selectFrom('strata_internal.attempts')
        .select(['error', 'started_at', 'finished_at'])
        .where('step_id', '=', step.stepId)
        .orderBy('number')
        .execute();
      const errors = attempts.map((a) => a.error as { name: string; message: string });
      expect(errors.map((e) => e.name)).toEqual([
        'ArtifactStoreFault',
        'ArtifactStoreFault',
        'ArtifactStoreError',
      ]);
      for (const error of errors) expect(error.message).toMatch(/mesh\.vtk.*\(ENOTDIR\)/);
      // Each try waited at least its delay after the previous one ended: 40 ms, then 80 ms.
      expect(
        attempts[1]!.started_at.getTime() - attempts[0]!.finished_at!.getTime(),
      ).toBeGreaterThanOrEqual(40);
      expect(
        attempts[2]!.started_at.getTime() - attempts[1]!.finished_at!.getTime(),
      ).toBeGreaterThanOrEqual(80);
      const lost = await runEvents(database, summary.runId, 'attempt_lost');
      expect(lost.map((e) => e.message.replace(/ \/\S+/, ' STORE'))).toEqual([
        'attempt 1 lost: could not write artifact "mesh.vtk" in the artifact store STORE (ENOTDIR); the step is tried again in 40ms',
        'attempt 2 lost: could not write artifact "mesh.vtk" in the artifact store STORE (ENOTDIR); the step is tried again in 80ms',
      ]);
    },
  );
});
