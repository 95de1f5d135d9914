// The face of openlineage/: strata's runs and steps as OpenLineage 2-0-2 RunEvents
// (docs/openlineage.md): the settings, the sinks, delivery from the events table with a
// per-sink cursor, and the export of the history.
export { KIND_MAPPINGS, openLineageTypesOf, type MappingInput } from './event-mapping.js';
export { DEFAULT_DELIVERY_TIMING, startLineageDelivery } from './delivery-loop.js';
export type { DeliveryLoopOptions, DeliveryTiming, LineageDelivery } from './delivery-loop.js';
export { deliverBatch, type BatchOutcome, type DeliveryOptions } from './deliver-batch.js';
export { exportHistory, type ExportOptions } from './export-history.js';
export { JsonLinesFileSink, streamSink } from './file-sink.js';
export { HttpSink } from './http-sink.js';
export { graphSchemaFields, schemaFieldsOf } from './schema-fields.js';
export { DEFAULT_SETTLE_MS, settledPrefixEnd } from './settled-prefix.js';
export {
  OPENLINEAGE_API_KEY_ENV,
  OPENLINEAGE_FILE_ENV,
  OPENLINEAGE_NAMESPACE_ENV,
  OPENLINEAGE_URL_ENV,
} from './env-names.js';
export {
  DEFAULT_NAMESPACE,
  endpointOf,
  lineageSettingsOf,
  type LineageSettings,
  type RawSettings,
  type SettingSources,
} from './settings.js';
export { SinkDeliveryError } from './sink-error.js';
export type { LineageSink } from './sink.js';
export { lineageRunId, strataFacetsSchemaUrl } from './identifiers.js';
export { RUN_EVENT_TYPES, type BaseFacet, type RunEvent, type RunEventType } from './types.js';
export { forgetSink, listSinkCursors, type SinkCursor } from './sink-cursors.js';
