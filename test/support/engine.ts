// Test helpers for running the engine in-process against a test database.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import type { AnyAssetDefinition, DefineAssetsOptions } from '../../src/definitions/index.js';
import { defineAssets } from '../../src/definitions/index.js';
import {
  createEngine,
  materialize,
  type Engine,
  type EngineParts,
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

/** What testEngine takes besides the database and graph: all optional. */
export type TestEngineParts = Partial<Omit<EngineParts, 'database' | 'graph'>>;

/** An engine of `graph` on the test database: a fresh artifact store and a quiet log by default. */
export function testEngine(
  database: TestDatabase,
  graph: AssetGraph,
  parts: TestEngineParts = {},
): Engine {
  return createEngine({
    database,
    graph,
    artifacts: parts.artifacts ?? tempArtifacts(),
    gitCommit: parts.gitCommit ?? null,
    log: parts.log ?? (() => undefined),
  });
}

/** Runs `materialize` in-process with test defaults (concurrency 2, quiet queue). */
export function run(
  database: TestDatabase,
  graph: AssetGraph,
  options: MaterializeRequest & TestEngineParts = {},
): Promise<MaterializeOutcome> {
  const { artifacts, gitCommit, log, ...request } = options;
  return materialize(testEngine(database, graph, { artifacts, gitCommit, log }), {
    concurrency: 2,
    ...request,
  });
}

/** The steps of an outcome as `key[partition]: status` strings, sorted. */
export function stepStatuses(outcome: MaterializeOutcome): string[] {
  if (outcome.kind === 'nothing_to_do') return [];
  return outcome.summary.steps
    .map((s) => `${s.partition === null ? s.key : `${s.key}[${s.partition}]`}: ${s.status}`)
    .sort();
}
