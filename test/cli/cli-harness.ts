// Helpers of the CLI tests: run `main()` in-process with captured output and an injected
// environment, and record materializations directly (materialize is tested elsewhere).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { main } from '../../src/cli/main.js';
import { inputHashOf, type InputVersion } from '../../src/provenance/index.js';
import type { Database } from '../../src/store/index.js';

/** The repository root (the working directory of spawned CLIs). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Fixture definitions: geometry -> sim/mesh[coarse|fine] -> summary. */
export const FIXTURE_ASSETS = path.join(REPO_ROOT, 'test/fixtures/cli/assets.ts');
/** Fixture definitions whose defineAssets() throws a DefinitionError. */
export const BROKEN_ASSETS = path.join(REPO_ROOT, 'test/fixtures/cli/broken-assets.ts');
/** Fixture definitions exporting an array instead of defineAssets([...]). */
export const WRONG_EXPORT = path.join(REPO_ROOT, 'test/fixtures/cli/wrong-export.ts');

/** What one CLI invocation printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `strata ...argv` in-process against `databaseUrl`, without colors. */
export async function runCli(
  argv: readonly string[],
  options: { databaseUrl?: string; cwd?: string; env?: Record<string, string>; now?: Date } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const env: Record<string, string> = { NO_COLOR: '1', ...options.env };
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  const now = options.now;
  const code = await main(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env,
    cwd: options.cwd ?? REPO_ROOT,
    ...(now === undefined ? {} : { now: () => now }),
  });
  return { code, stdout, stderr };
}

/** A materialization to record: its inputs are other recorded materializations. */
export interface RecordSpec {
  readonly key: string;
  readonly partition?: string;
  readonly codeVersion: string;
  readonly dataVersion: string;
  readonly inputs?: readonly { readonly inputName: string; readonly id: number }[];
  readonly finishedAt?: Date;
}

/** Inserts a run and returns its id. */
export async function insertRun(db: Kysely<Database>): Promise<number> {
  const run = await db
    .insertInto('strata_internal.runs')
    .values({ status: 'succeeded', selection: '*', host: 'test-host' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return run.id;
}

/**
 * Records a materialization as the executor would (row, input edges, latest pointer), with
 * the input hash computed from its inputs so that it is fresh unless something changed.
 */
export async function recordMaterialization(
  db: Kysely<Database>,
  runId: number,
  spec: RecordSpec,
): Promise<number> {
  const partition = spec.partition ?? '';
  const deps = await Promise.all(
    (spec.inputs ?? []).map(async (input) => {
      const row = await db
        .selectFrom('strata_internal.materializations')
        .select(['asset_key', 'partition_key', 'data_version'])
        .where('id', '=', input.id)
        .executeTakeFirstOrThrow();
      return { ...input, row };
    }),
  );
  const versions: InputVersion[] = deps.map(({ row }) => ({
    depKey: row.asset_key,
    depPartition: row.partition_key,
    dataVersion: row.data_version,
  }));
  const inputHash = inputHashOf(spec.key, partition, spec.codeVersion, versions);
  const finishedAt = spec.finishedAt ?? new Date();
  const { id } = await db
    .insertInto('strata_internal.materializations')
    .values({
      asset_key: spec.key,
      partition_key: partition,
      run_id: runId,
      code_version: spec.codeVersion,
      data_version: spec.dataVersion,
      input_hash: inputHash,
      value: JSON.stringify({ v: spec.dataVersion }),
      value_size: 12,
      finished_at: finishedAt,
      host: 'test-host',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const dep of deps) {
    await db
      .insertInto('strata_internal.materialization_inputs')
      .values({
        materialization_id: id,
        input_name: dep.inputName,
        dep_asset_key: dep.row.asset_key,
        dep_partition_key: dep.row.partition_key,
        dep_materialization_id: dep.id,
        dep_data_version: dep.row.data_version,
      })
      .execute();
  }
  const latest = {
    materialization_id: id,
    code_version: spec.codeVersion,
    data_version: spec.dataVersion,
    input_hash: inputHash,
    materialized_at: finishedAt,
  };
  await db
    .insertInto('strata_internal.latest_materializations')
    .values({ asset_key: spec.key, partition_key: partition, ...latest })
    .onConflict((oc) => oc.columns(['asset_key', 'partition_key']).doUpdateSet(latest))
    .execute();
  return id;
}
