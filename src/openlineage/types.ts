// The OpenLineage 2-0-2 run events strata emits, as TypeScript types written after the spec's
// JSON Schema (./spec/OpenLineage.json and ./spec/facets/*.json; there is no TypeScript client
// upstream). They are checked against it: the tests validate every emitted event with ajv.
// Only what strata sends is typed (no DatasetEvent or JobEvent, no OTHER).

/** The OpenLineage spec version strata emits. */
export const OPENLINEAGE_SCHEMA_URL =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/** The run state transitions strata sends (the spec's `eventType` enum without OTHER). */
export const RUN_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL'] as const;

/** A run's state transition (`eventType`). */
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/** Fields every facet carries (`BaseFacet`). */
export interface BaseFacet {
  readonly _producer: string;
  readonly _schemaURL: string;
  readonly [field: string]: unknown;
}

/** `ParentRunFacet` 1-2-0: the run this one belongs to. */
export interface ParentRunFacet extends BaseFacet {
  readonly run: { readonly runId: string };
  readonly job: { readonly namespace: string; readonly name: string };
  readonly root?: {
    readonly run: { readonly runId: string };
    readonly job: { readonly namespace: string; readonly name: string };
  };
}

/** `JobTypeJobFacet` 2-0-4. */
export interface JobTypeJobFacet extends BaseFacet {
  readonly processingType: 'BATCH' | 'STREAMING';
  readonly integration: string;
  readonly jobType?: string;
}

/** `ProcessingEngineRunFacet` 1-1-1. */
export interface ProcessingEngineRunFacet extends BaseFacet {
  readonly version: string;
  readonly name?: string;
  readonly openlineageAdapterVersion?: string;
}

/** `ErrorMessageRunFacet` 1-0-1. */
export interface ErrorMessageRunFacet extends BaseFacet {
  readonly message: string;
  readonly programmingLanguage: string;
  readonly stackTrace?: string;
}

/** One field of `SchemaDatasetFacet` 1-2-0 (nested for objects and arrays). */
export interface SchemaField {
  readonly name: string;
  readonly type?: string;
  readonly description?: string;
  readonly fields?: readonly SchemaField[];
}

/** `SchemaDatasetFacet` 1-2-0. */
export interface SchemaDatasetFacet extends BaseFacet {
  readonly fields: readonly SchemaField[];
}

/** One assertion of `DataQualityAssertionsDatasetFacet` 1-1-0. */
export interface DataQualityAssertion {
  readonly assertion: string;
  readonly success: boolean;
  readonly column?: string;
  readonly severity?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/**
 * `DataQualityAssertionsDatasetFacet` 1-1-0: an input-dataset facet (it extends
 * `InputDatasetFacet`), valid only in an input dataset's `inputFacets`.
 */
export interface DataQualityAssertionsDatasetFacet extends BaseFacet {
  readonly assertions: readonly DataQualityAssertion[];
}

/** A dataset of an event (`InputDataset` / `OutputDataset`). */
export interface Dataset {
  readonly namespace: string;
  readonly name: string;
  /** Dataset facets (`DatasetFacet`), valid on inputs and outputs. */
  readonly facets?: Readonly<Record<string, BaseFacet>>;
  /** Input-dataset facets (`InputDatasetFacet`): only on an event's inputs. */
  readonly inputFacets?: Readonly<Record<string, BaseFacet>>;
}

/** A RunEvent (`#/$defs/RunEvent`). */
export interface RunEvent {
  readonly eventTime: string;
  readonly producer: string;
  readonly schemaURL: string;
  readonly eventType: RunEventType;
  readonly run: { readonly runId: string; readonly facets?: Readonly<Record<string, BaseFacet>> };
  readonly job: {
    readonly namespace: string;
    readonly name: string;
    readonly facets?: Readonly<Record<string, BaseFacet>>;
  };
  readonly inputs: readonly Dataset[];
  readonly outputs: readonly Dataset[];
}
