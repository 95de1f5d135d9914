// The names strata gives things in OpenLineage (docs/openlineage.md, "Naming"): run ids as
// UUIDs derived from the database's own ids (so every process, and a later export, sends the
// same id for the same run or step), job and dataset names, and the producer and facet-schema
// URLs built from the package's name and version.
import { createHash } from 'node:crypto';
import { packageVersion } from '../util/package-version.js';

/** The job of a strata run (the parent of its steps' runs). */
export const RUN_JOB_NAME = 'strata.run';

/** The `producer` of every event and facet: this strata release. */
export function producerUrl(): string {
  return `https://www.npmjs.com/package/strata/v/${packageVersion()}`;
}

/**
 * The JSON Schema of strata's custom facets (docs/openlineage/strata-facets-1.json, shipped in
 * the npm package, so this release's copy stays at this address).
 */
export function strataFacetsSchemaUrl(): string {
  return `https://unpkg.com/strata@${packageVersion()}/docs/openlineage/strata-facets-1.json`;
}

/** The dataset namespace of a job namespace: where strata's assets live. */
export function datasetNamespaceOf(namespace: string): string {
  return `strata://${namespace}`;
}

/**
 * A UUID (RFC 9562 version 8: name-based, SHA-256) for a strata run or step: the same whoever
 * computes it. The run's creation time is part of the name, so a re-created database reusing
 * ids gives other UUIDs.
 */
export function lineageRunId(subject: 'run' | 'step', id: number, runCreatedAt: Date): string {
  const digest = createHash('sha256')
    .update(`strata/${subject}/${id}/${runCreatedAt.toISOString()}`)
    .digest();
  digest[6] = (digest[6]! & 0x0f) | 0x80;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
