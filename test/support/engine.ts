// Test helpers for running the engine in-process against a test database.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import type { AnyAssetDefinition, DefineAssetsOptions } from '../../src/definitions/index.js';
import { defineAssets } from '../../src/definitions/index.js';
import {
  materialize,
  type MaterializeOutcome,
  type MaterializeRequest,
} from '../../src/executor/index.js';
import { buildAssetGraph, type AssetGraph } from '../../src/graph/index.js';
import type { TestDatabase } from './database.js';

/** Builds a graph from asset definitions. */
export function graphOf(
  assets: readonly AnyAssetDefinition[],
  options?: DefineAssetsOptions,
): AssetGraph {
  return buildAssetGraph(defineAssets(assets, options));
}

/** A fresh artifact store in a temporary directory. */
export function tempArtifacts(): LocalArtifactStore {
  return new LocalArtifactStore(
    join(mkdtempSync(join(tmpdir(), 'strata-artifacts-')), 'artifacts'),
  );
}

/** Runs `materialize` in-process with test defaults (concurrency 2, quiet queue). */
export function run(
  database: TestDatabase,
  graph: AssetGraph,
  options: Partial<Omit<MaterializeRequest, 'db' | 'queuePool' | 'graph'>> = {},
): Promise<MaterializeOutcome> {
  return materialize({
    db: database.db,
    queuePool: database.pool,
    graph,
    artifacts: options.artifacts ?? tempArtifacts(),
    concurrency: 2,
    onQueueLog: () => undefined,
    ...options,
  });
}

/** The steps of an outcome as `key[partition]: status` strings, sorted. */
export function stepStatuses(outcome: MaterializeOutcome): string[] {
  if (outcome.kind === 'nothing_to_do') return [];
  return outcome.summary.steps
    .map((s) => `${s.partition === null ? s.key : `${s.key}[${s.partition}]`}: ${s.status}`)
    .sort();
}
