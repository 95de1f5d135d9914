// Running strata's engine in-process for a benchmark: graphs of no-op assets, a temporary
// artifact store, and materialize() with the queue's chatter silenced.
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { z } from 'zod';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import {
  asset,
  defineAssets,
  type AnyAssetDefinition,
  type AutomationPolicyInput,
  type FreshnessPolicyInput,
  type PartitionsDefinition,
} from '../../src/definitions/index.js';
import {
  createEngine,
  materialize,
  type Engine,
  type MaterializeOutcome,
} from '../../src/executor/index.js';
import { buildAssetGraph, type AssetGraph } from '../../src/graph/index.js';
import type { BenchDatabase } from './server.js';

/** A no-op asset: returns a constant; a declared code version, so no source hashing is involved. */
export function noopAsset(
  key: string,
  options: {
    deps?: Readonly<Record<string, AnyAssetDefinition>>;
    partitions?: PartitionsDefinition;
    codeVersion?: string;
    freshness?: FreshnessPolicyInput;
    automation?: AutomationPolicyInput;
  } = {},
): AnyAssetDefinition {
  return asset({
    key,
    deps: options.deps ?? {},
    schema: z.number(),
    codeVersion: options.codeVersion ?? 'v1',
    ...(options.partitions ? { partitions: options.partitions } : {}),
    ...(options.freshness ? { freshness: options.freshness } : {}),
    ...(options.automation ? { automation: options.automation } : {}),
    compute: () => 1,
  });
}

/** The graph of a list of assets. */
export function graphOf(assets: readonly AnyAssetDefinition[]): AssetGraph {
  return buildAssetGraph(defineAssets(assets));
}

const tempDirs: string[] = [];

/** A fresh artifact store in a temporary directory (removed by removeTempArtifacts). */
export function tempArtifacts(): LocalArtifactStore {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-'));
  tempDirs.push(dir);
  return new LocalArtifactStore(path.join(dir, 'a'));
}

/** Deletes the directories of every artifact store tempArtifacts() created. */
export async function removeTempArtifacts(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** An engine of `graph` on a benchmark database (a fresh artifact store unless given). */
export function benchEngine(
  database: BenchDatabase,
  graph: AssetGraph,
  artifacts: LocalArtifactStore = tempArtifacts(),
): Engine {
  return createEngine({ database, graph, artifacts });
}

/** Milliseconds of the phases of one materialize() call. */
export interface MaterializePhases {
  /** createPlan: statuses and steps. */
  readonly planMs: number;
  /** createRun: one transaction writing the run, steps, edges and first jobs. */
  readonly createRunMs: number;
  /** Worker pool start, execution, watching the run to its end, pool stop, summary. */
  readonly executeMs: number;
}

/** materialize() on a benchmark database; throws unless the run succeeded. */
export async function materializeAll(
  database: BenchDatabase,
  graph: AssetGraph,
  options: { concurrency: number; force?: boolean; artifacts?: LocalArtifactStore },
): Promise<MaterializeOutcome & { kind: 'run'; phases: MaterializePhases }> {
  const start = performance.now();
  let planned = start;
  let created = start;
  const outcome = await materialize(benchEngine(database, graph, options.artifacts), {
    onPlan: () => {
      planned = performance.now();
    },
    onRunCreated: () => {
      created = performance.now();
    },
    concurrency: options.concurrency,
    force: options.force ?? false,
    trigger: 'bench',
  });
  if (outcome.kind !== 'run') throw new Error('benchmark: nothing to do (expected a run)');
  if (outcome.summary.status !== 'succeeded') {
    throw new Error(`benchmark: run ${outcome.summary.runId} ${outcome.summary.status}`);
  }
  const end = performance.now();
  return {
    ...outcome,
    phases: { planMs: planned - start, createRunMs: created - planned, executeMs: end - created },
  };
}
