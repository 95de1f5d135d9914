// Validates OpenLineage events as a receiver would: the vendored 2-0-2 spec (src/openlineage/
// spec/) with ajv, offline; each spec facet strata sends against its own facet schema, and each
// custom facet against docs/openlineage/strata-facets-1.json at the fragment its _schemaURL names;
// and each facet where the spec allows its kind (a facet extending InputDatasetFacet only in an
// input dataset's inputFacets, a RunFacet only in the run's facets, ...).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import {
  strataFacetsSchemaUrl,
  type BaseFacet,
  type RunEvent,
} from '../../src/openlineage/index.js';
import { REPO_ROOT } from '../cli/cli-harness.js';

const SPEC_DIR = path.join(REPO_ROOT, 'src/openlineage/spec');
const readJson = (file: string) =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
// ajv-formats is CommonJS: typed as its module object under NodeNext; at run time the
// default export may be either that object or the plugin itself.
type AddFormats = typeof addFormatsModule.default;
const addFormats: AddFormats =
  typeof addFormatsModule === 'function'
    ? (addFormatsModule as unknown as AddFormats)
    : addFormatsModule.default;

function compileAll() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(readJson(path.join(SPEC_DIR, 'OpenLineage.json')));
  const facetSchemas = new Map<string, ValidateFunction>();
  for (const file of readdirSync(path.join(SPEC_DIR, 'facets'))) {
    const schema = readJson(path.join(SPEC_DIR, 'facets', file));
    ajv.addSchema(schema);
    facetSchemas.set(
      `https://openlineage.io/spec/facets/${facetPathOf(schema)}`,
      ajv.compile({ $ref: schema.$id as string }),
    );
  }
  ajv.addSchema(
    readJson(path.join(REPO_ROOT, 'docs/openlineage/strata-facets-1.json')),
    strataFacetsSchemaUrl(),
  );
  const event = ajv.compile({ $ref: 'https://openlineage.io/spec/2-0-2/OpenLineage.json' });
  return { ajv, event, facetSchemas };
}

/** `1-2-0/ParentRunFacet.json` of a facet schema's $id. */
function facetPathOf(schema: Record<string, unknown>): string {
  return String(schema.$id).replace('https://openlineage.io/spec/facets/', '');
}

let compiled: ReturnType<typeof compileAll> | undefined;

/** The ajv errors of `event` (empty when it is valid): the event, and every facet in it. */
export function specErrors(event: RunEvent): string[] {
  compiled ??= compileAll();
  const { ajv, event: validateEvent, facetSchemas } = compiled;
  const errors: string[] = [];
  if (!validateEvent(event)) errors.push(ajv.errorsText(validateEvent.errors));
  const outputs = event.outputs as readonly (RunEvent['outputs'][number] & {
    outputFacets?: Record<string, BaseFacet>;
  })[];
  const facetGroups: (readonly [FacetKind, Readonly<Record<string, BaseFacet>> | undefined])[] = [
    ['RunFacet', event.run.facets],
    ['JobFacet', event.job.facets],
    ...[...event.inputs, ...event.outputs].map((d) => ['DatasetFacet', d.facets] as const),
    ...event.inputs.map((d) => ['InputDatasetFacet', d.inputFacets] as const),
    ...outputs.map((d) => ['OutputDatasetFacet', d.outputFacets] as const),
  ];
  for (const [kind, facets] of facetGroups) {
    for (const [name, facet] of Object.entries(facets ?? {})) {
      const [file, fragment] = facet._schemaURL.split('#');
      const declared = facetKindOf(file!, fragment);
      if (declared !== kind)
        errors.push(`${name}: a ${declared ?? 'facet of no kind'} where a ${kind} goes`);
      if (file === strataFacetsSchemaUrl()) {
        const validate = ajv.getSchema(`${file}#${fragment}`);
        if (validate === undefined) errors.push(`${name}: no schema at ${facet._schemaURL}`);
        else if (!validate(facet)) errors.push(`${name}: ${ajv.errorsText(validate.errors)}`);
        continue;
      }
      const validate = facetSchemas.get(file!);
      if (validate === undefined) errors.push(`${name}: facet schema ${file} is not vendored`);
      // A facet file's schema describes the facets object: { <its key>: facet }.
      else if (!validate({ [name]: facet }))
        errors.push(`${name}: ${ajv.errorsText(validate.errors)}`);
      else if (!Object.keys(schemaProperties(validate)).includes(name))
        errors.push(`${name}: ${file} names its facet otherwise`);
    }
  }
  return errors;
}

type FacetKind =
  'RunFacet' | 'JobFacet' | 'DatasetFacet' | 'InputDatasetFacet' | 'OutputDatasetFacet';

/** The spec facet a facet's definition extends (its allOf's first $ref), e.g. InputDatasetFacet. */
function facetKindOf(file: string, fragment: string | undefined): FacetKind | undefined {
  if (fragment === undefined) return undefined;
  const root = compiled!.ajv.getSchema(file)?.schema as
    { $defs?: Record<string, unknown> } | undefined;
  const name = fragment.replace('/$defs/', '');
  const definition = root?.$defs?.[name] as { allOf?: { $ref?: string }[] } | undefined;
  const base = definition?.allOf?.[0]?.$ref?.split('/$defs/')[1];
  return base as FacetKind | undefined;
}

function schemaProperties(validate: ValidateFunction): Record<string, unknown> {
  const root = compiled!.ajv.getSchema(String((validate.schema as { $ref: string }).$ref));
  return (root?.schema as { properties?: Record<string, unknown> }).properties ?? {};
}

/** Asserts every event validates against the spec (and its facets against theirs). */
export function expectValidEvents(events: readonly RunEvent[]): void {
  expect(events.length).toBeGreaterThan(0);
  for (const event of events) expect(specErrors(event), JSON.stringify(event)).toEqual([]);
}
