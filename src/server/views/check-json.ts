// Checks and their verdicts as the API shows them (schemas AssetCheck and CheckResult).
import type { AssetKey, CheckDefinition, PartitionKey } from '../../definitions/index.js';
import type { AssetGraph } from '../../graph/index.js';
import { loadLatestCheckResults, type CheckResult } from '../../provenance/index.js';
import type { ServerContext } from '../server-context.js';

/** A declared check (schema AssetCheck). */
export function assetCheckJson(check: CheckDefinition) {
  return {
    name: check.name,
    description: check.description ?? null,
    severity: check.severity,
    blocking: check.blocking,
    codeVersion: check.codeVersion,
  };
}

/** A verdict (schema CheckResult); outdated when the check declared now has another version. */
export function checkResultJson(graph: AssetGraph, key: AssetKey, result: CheckResult) {
  const declared = graph.checksOf(key).find((c) => c.name === result.checkName);
  return {
    check: result.checkName,
    passed: result.passed,
    severity: result.severity,
    blocking: result.blocking,
    description: result.description,
    metadata: result.metadata,
    error: result.error?.message ?? null,
    checkVersion: result.checkVersion,
    outdated: declared === undefined || declared.codeVersion !== result.checkVersion,
    materializationId: result.materializationId,
    runId: result.runId,
    evaluatedAt: result.evaluatedAt,
  };
}

/** The JSON of a verdict. */
export type CheckResultJson = ReturnType<typeof checkResultJson>;

/** The verdicts of `key`'s checks on its latest materializations, per partition (one query). */
export async function checkVerdicts(
  server: Pick<ServerContext, 'db' | 'graph'>,
  key: AssetKey,
): Promise<Map<PartitionKey, CheckResultJson[]>> {
  const verdicts = new Map<PartitionKey, CheckResultJson[]>();
  if (server.graph.checksOf(key).length === 0) return verdicts;
  const results = (await loadLatestCheckResults(server.db, [key])).get(key);
  for (const [partition, list] of results ?? [])
    verdicts.set(
      partition,
      list.map((result) => checkResultJson(server.graph, key, result)),
    );
  return verdicts;
}
