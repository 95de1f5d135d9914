// Builders of the facets strata sends: the spec's (parent run, job type, processing engine,
// error message, schema, data quality assertions) and strata's own (data version, input hash,
// tool calls, checks), each with
// `_producer` and `_schemaURL`. Custom facets are described by
// docs/openlineage/strata-facets-1.json (docs/openlineage.md, "Facets").
import { packageVersion } from '../util/package-version.js';
import { producerUrl, strataFacetsSchemaUrl } from './identifiers.js';
import type {
  BaseFacet,
  DataQualityAssertionsDatasetFacet,
  ErrorMessageRunFacet,
  JobTypeJobFacet,
  ParentRunFacet,
  ProcessingEngineRunFacet,
  SchemaDatasetFacet,
  SchemaField,
} from './types.js';

const SPEC_FACETS = 'https://openlineage.io/spec/facets';

function specBase(file: string, definition: string): BaseFacet {
  return { _producer: producerUrl(), _schemaURL: `${SPEC_FACETS}/${file}#/$defs/${definition}` };
}

function strataBase(definition: string): BaseFacet {
  return {
    _producer: producerUrl(),
    _schemaURL: `${strataFacetsSchemaUrl()}#/$defs/${definition}`,
  };
}

/** The run a step's run belongs to. */
export function parentRunFacet(parent: {
  readonly runId: string;
  readonly namespace: string;
  readonly name: string;
}): ParentRunFacet {
  const run = { runId: parent.runId };
  const job = { namespace: parent.namespace, name: parent.name };
  return {
    ...specBase('1-2-0/ParentRunFacet.json', 'ParentRunFacet'),
    run,
    job,
    root: { run, job },
  };
}

/** A batch job of integration STRATA: `RUN` for a strata run, `ASSET` for an asset's step. */
export function jobTypeFacet(jobType: 'RUN' | 'ASSET'): JobTypeJobFacet {
  return {
    ...specBase('2-0-4/JobTypeJobFacet.json', 'JobTypeJobFacet'),
    processingType: 'BATCH',
    integration: 'STRATA',
    jobType,
  };
}

/** strata itself, this version. */
export function processingEngineFacet(): ProcessingEngineRunFacet {
  return {
    ...specBase('1-1-1/ProcessingEngineRunFacet.json', 'ProcessingEngineRunFacet'),
    name: 'strata',
    version: packageVersion(),
    openlineageAdapterVersion: packageVersion(),
  };
}

/** A failure's message (and stack, when recorded). */
export function errorMessageFacet(error: {
  readonly message: string;
  readonly stack?: string;
}): ErrorMessageRunFacet {
  return {
    ...specBase('1-0-1/ErrorMessageRunFacet.json', 'ErrorMessageRunFacet'),
    message: error.message,
    programmingLanguage: 'TypeScript',
    ...(error.stack === undefined ? {} : { stackTrace: error.stack }),
  };
}

/** The fields of an asset's schema. */
export function schemaFacet(fields: readonly SchemaField[]): SchemaDatasetFacet {
  return { ...specBase('1-2-0/SchemaDatasetFacet.json', 'SchemaDatasetFacet'), fields };
}

/** One materialized partition of an asset, as the data-version facet lists it. */
export interface PartitionVersion {
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly dataVersion: string;
  readonly materializationId: number;
}

/** Which versions of an asset's partitions a dataset of an event is (strata_dataVersion). */
export function dataVersionFacet(versions: readonly PartitionVersion[]): BaseFacet {
  return { ...strataBase('DataVersionDatasetFacet'), versions };
}

/** What a step computed from: the hash of its inputs' versions, its code version (strata_inputHash). */
export function inputHashFacet(step: {
  readonly inputHash: string;
  readonly codeVersion: string;
}): BaseFacet {
  return { ...strataBase('InputHashRunFacet'), ...step };
}

/** One tool call of a step, as the tool-calls facet lists it. */
export interface ToolCallEntry {
  readonly server: string;
  readonly tool: string;
  readonly toolVersion: string | null;
  readonly status: 'succeeded' | 'failed';
  readonly argumentHash: string;
  readonly resultId: string | null;
  readonly startedAt: string;
  readonly durationMs: number;
}

/** The tool calls a step made (strata_toolCalls). */
export function toolCallsFacet(calls: readonly ToolCallEntry[]): BaseFacet {
  return { ...strataBase('ToolCallsRunFacet'), calls };
}

/** strata's own ids of the run or step (strata_run), to find it with the CLI and the API. */
export function strataRunFacet(ids: {
  readonly runId: number;
  readonly stepId?: number;
  readonly partition?: string | null;
  readonly selection?: string;
}): BaseFacet {
  return { ...strataBase('StrataRunFacet'), ...ids };
}

/** A check's verdict on a materialization (its latest evaluation there). */
export interface CheckVerdict {
  readonly materializationId: number;
  readonly checkName: string;
  readonly checkVersion: string;
  readonly passed: boolean;
  readonly severity: 'warn' | 'error';
  readonly blocking: boolean;
  readonly description: string | null;
  readonly evaluatedAt: string;
}

/**
 * The verdicts of the checks on the materializations an input dataset lists
 * (`dataQualityAssertions`, an input-dataset facet): one assertion per check and partition,
 * the check's name as `assertion`, the partition and materialization in `params`.
 */
export function dataQualityAssertionsFacet(
  judged: readonly { readonly partition: string | null; readonly verdict: CheckVerdict }[],
): DataQualityAssertionsDatasetFacet {
  return {
    ...specBase(
      '1-1-0/DataQualityAssertionsDatasetFacet.json',
      'DataQualityAssertionsDatasetFacet',
    ),
    assertions: judged.map(({ partition, verdict }) => ({
      assertion: verdict.checkName,
      success: verdict.passed,
      severity: verdict.severity,
      params: { partition, materializationId: verdict.materializationId },
    })),
  };
}

/**
 * The verdicts of the checks on the materialization an output dataset lists (strata_checks): the
 * assertions as the spec's facet has them, with strata's blocking, check version and description.
 */
export function checksFacet(verdicts: readonly CheckVerdict[]): BaseFacet {
  return {
    ...strataBase('ChecksDatasetFacet'),
    assertions: verdicts.map((v) => ({
      assertion: v.checkName,
      success: v.passed,
      severity: v.severity,
      blocking: v.blocking,
      checkVersion: v.checkVersion,
      description: v.description,
      materializationId: v.materializationId,
      evaluatedAt: v.evaluatedAt,
    })),
  };
}
