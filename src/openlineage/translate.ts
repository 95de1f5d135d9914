// Translates a batch of strata events into OpenLineage RunEvents (docs/openlineage.md): a
// strata run is a run of job `strata.run`; a step (one asset partition's computation) is a run
// of the job named after its asset, whose parent is the strata run. Pure: everything read from
// the database is in the TranslationContext.
import type { EventRow, StoredError } from '../store/index.js';
import { openLineageTypesOf, KIND_MAPPINGS } from './event-mapping.js';
import {
  checksFacet,
  dataQualityAssertionsFacet,
  dataVersionFacet,
  errorMessageFacet,
  inputHashFacet,
  jobTypeFacet,
  parentRunFacet,
  processingEngineFacet,
  schemaFacet,
  strataRunFacet,
  toolCallsFacet,
  type CheckVerdict,
  type PartitionVersion,
} from './facets.js';
import { datasetNamespaceOf, lineageRunId, producerUrl, RUN_JOB_NAME } from './identifiers.js';
import {
  stepMaterializationIdOf,
  type InputFacts,
  type RunFacts,
  type StepFacts,
  type TranslationContext,
} from './load-context.js';
import {
  OPENLINEAGE_SCHEMA_URL,
  type BaseFacet,
  type Dataset,
  type RunEvent,
  type RunEventType,
  type SchemaField,
} from './types.js';

/** How events are named. */
export interface TranslateOptions {
  /** The job namespace (datasets live in `strata://<namespace>`). */
  readonly namespace: string;
  /** An asset's schema fields, when its definition is known here. */
  readonly schemaFieldsOf?: (assetKey: string) => readonly SchemaField[] | undefined;
}

/** An OpenLineage event and the strata event it came from. */
export interface TranslatedEvent {
  readonly eventId: number;
  readonly event: RunEvent;
}

/** The OpenLineage events of `events` (ascending ids), in order. */
export function translateEvents(
  events: readonly EventRow[],
  context: TranslationContext,
  options: TranslateOptions,
): TranslatedEvent[] {
  const translated: TranslatedEvent[] = [];
  for (const event of events) {
    for (const lineage of translateEvent(event, context, options))
      translated.push({ eventId: event.id, event: lineage });
  }
  return translated;
}

function translateEvent(
  event: EventRow,
  context: TranslationContext,
  options: TranslateOptions,
): RunEvent[] {
  const mapping = KIND_MAPPINGS[event.kind];
  const run = event.run_id === null ? undefined : context.runs.get(event.run_id);
  if (mapping === undefined || run === undefined) return [];
  if (mapping.subject === 'run') {
    const [eventType] = openLineageTypesOf({ ...event, stepStartSent: true });
    return eventType === undefined ? [] : [runEvent(event, eventType, run, options)];
  }
  const step = event.step_id === null ? undefined : context.steps.get(event.step_id);
  if (step === undefined) return [];
  const stepStartSent = (context.retryEventIds.get(step.id) ?? []).some((id) => id < event.id);
  return openLineageTypesOf({ ...event, stepStartSent }).map((eventType) =>
    stepEvent(event, eventType, { run, step, context, options }),
  );
}

function base(eventTime: Date, eventType: RunEventType) {
  return {
    eventTime: eventTime.toISOString(),
    producer: producerUrl(),
    schemaURL: OPENLINEAGE_SCHEMA_URL,
    eventType,
  };
}

function runEvent(
  event: EventRow,
  eventType: RunEventType,
  run: RunFacts,
  options: TranslateOptions,
): RunEvent {
  const facets: Record<string, BaseFacet> = {
    processing_engine: processingEngineFacet(),
    strata_run: strataRunFacet({ runId: run.id, selection: run.selection }),
  };
  if (eventType === 'FAIL' || eventType === 'ABORT')
    facets.errorMessage = errorMessageFacet({ message: event.message });
  return {
    ...base(event.created_at, eventType),
    run: { runId: lineageRunId('run', run.id, run.createdAt), facets },
    job: {
      namespace: options.namespace,
      name: RUN_JOB_NAME,
      facets: { jobType: jobTypeFacet('RUN') },
    },
    inputs: [],
    outputs: [],
  };
}

interface StepScope {
  readonly run: RunFacts;
  readonly step: StepFacts;
  readonly context: TranslationContext;
  readonly options: TranslateOptions;
}

function stepEvent(event: EventRow, eventType: RunEventType, scope: StepScope): RunEvent {
  const { run, step, context, options } = scope;
  const materializationId = stepMaterializationIdOf(event, step);
  const materialization =
    materializationId === null ? undefined : context.materializations.get(materializationId);
  const partition = step.partitionKey === '' ? null : step.partitionKey;
  const facets: Record<string, BaseFacet> = {
    parent: parentRunFacet({
      runId: lineageRunId('run', run.id, run.createdAt),
      namespace: options.namespace,
      name: RUN_JOB_NAME,
    }),
    processing_engine: processingEngineFacet(),
    strata_run: strataRunFacet({ runId: run.id, stepId: step.id, partition }),
  };
  const inputHash = materialization?.inputHash ?? step.inputHash;
  if (inputHash !== null)
    facets.strata_inputHash = inputHashFacet({ inputHash, codeVersion: step.codeVersion });
  const error = errorOf(event, step);
  if (error !== undefined && eventType !== 'START') facets.errorMessage = errorMessageFacet(error);
  const toolCalls = context.toolCalls.get(step.id);
  if (toolCalls !== undefined && eventType !== 'START' && eventType !== 'RUNNING')
    facets.strata_toolCalls = toolCallsFacet(toolCalls);
  const ended = eventType !== 'START' && eventType !== 'RUNNING';
  const output = dataset(
    step.assetKey,
    options,
    eventType === 'START' ? [] : versionsOf(materialization),
    {
      verdicts:
        ended && materialization !== undefined
          ? context.verdicts.get(materialization.id)
          : undefined,
    },
  );
  const eventTime =
    eventType === 'START'
      ? earliest(step.startedAt ?? step.createdAt, event.created_at)
      : event.created_at;
  return {
    ...base(eventTime, eventType),
    run: { runId: lineageRunId('step', step.id, run.createdAt), facets },
    job: {
      namespace: options.namespace,
      name: step.assetKey,
      facets: { jobType: jobTypeFacet('ASSET') },
    },
    inputs: inputDatasets(materialization?.inputs ?? [], context, options),
    outputs: [output],
  };
}

function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

function versionsOf(
  materialization: { id: number; partitionKey: string; dataVersion: string } | undefined,
): PartitionVersion[] {
  if (materialization === undefined) return [];
  return [
    {
      partition: materialization.partitionKey === '' ? null : materialization.partitionKey,
      dataVersion: materialization.dataVersion,
      materializationId: materialization.id,
    },
  ];
}

/** The error of a failed or retried step: the event's, else the step's stored one. */
function errorOf(
  event: EventRow,
  step: StepFacts,
): { message: string; stack?: string } | undefined {
  const data = event.data as { error?: StoredError } | null;
  const stored =
    data?.error ?? (step.error !== null && 'message' in step.error ? step.error : undefined);
  if (stored !== undefined)
    return {
      message: stored.message,
      ...(stored.stack === undefined ? {} : { stack: stored.stack }),
    };
  if (
    event.kind === 'step_failed' ||
    event.kind === 'step_skipped' ||
    event.kind === 'step_canceled'
  )
    return { message: event.message };
  return undefined;
}

/**
 * One dataset per input asset, listing the partition versions consumed and the checks' verdicts
 * on them (the spec's input-dataset facet dataQualityAssertions).
 */
function inputDatasets(
  inputs: readonly InputFacts[],
  context: TranslationContext,
  options: TranslateOptions,
): Dataset[] {
  const byAsset = new Map<string, PartitionVersion[]>();
  for (const input of inputs) {
    const versions = byAsset.get(input.assetKey) ?? [];
    if (!versions.some((v) => v.materializationId === input.materializationId)) {
      versions.push({
        partition: input.partitionKey === '' ? null : input.partitionKey,
        dataVersion: input.dataVersion,
        materializationId: input.materializationId,
      });
    }
    byAsset.set(input.assetKey, versions);
  }
  return [...byAsset].map(([assetKey, versions]) => {
    const judged = versions.flatMap((v) =>
      (context.verdicts.get(v.materializationId) ?? []).map((verdict) => ({
        partition: v.partition,
        verdict,
      })),
    );
    return dataset(assetKey, options, versions, { judged });
  });
}

/** The checks' verdicts a dataset carries: on an output, strata_checks; on an input, the spec's. */
interface DatasetVerdicts {
  /** An output's: the verdicts on the materialization written. */
  readonly verdicts?: readonly CheckVerdict[] | undefined;
  /** An input's: the verdicts on each partition read. */
  readonly judged?: readonly { partition: string | null; verdict: CheckVerdict }[];
}

function dataset(
  assetKey: string,
  options: TranslateOptions,
  versions: readonly PartitionVersion[],
  checks: DatasetVerdicts = {},
): Dataset {
  const facets: Record<string, BaseFacet> = {};
  const fields = options.schemaFieldsOf?.(assetKey);
  if (fields !== undefined) facets.schema = schemaFacet(fields);
  if (versions.length > 0) facets.strata_dataVersion = dataVersionFacet(versions);
  if (checks.verdicts !== undefined && checks.verdicts.length > 0)
    facets.strata_checks = checksFacet(checks.verdicts);
  const named = { namespace: datasetNamespaceOf(options.namespace), name: assetKey, facets };
  if (checks.judged === undefined || checks.judged.length === 0) return named;
  return {
    ...named,
    inputFacets: { dataQualityAssertions: dataQualityAssertionsFacet(checks.judged) },
  };
}
