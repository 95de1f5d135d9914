// The prompt `propose_next_experiment`: how a model reads a study's results (the metrics table,
// the Pareto front, what is stale or failed, earlier plans) and proposes the next plan through
// validate_plan and propose_plan, written for the study named, from its definition.
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { StudyDefinition } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { didYouMean } from '../util/closest.js';

/** Registers the prompt `propose_next_experiment` on `server`. */
export function registerPrompts(server: McpServer, graph: AssetGraph): void {
  const studies = graph.definitions.studies;
  server.registerPrompt(
    'propose_next_experiment',
    {
      title: 'Propose the next experiment of a study',
      description:
        "Read a study's results (metrics per design point, Pareto front, failures, earlier " +
        'plans) and propose the next experiment plan for a human to approve.',
      argsSchema: {
        study: completable(z.string().min(1).max(64).describe('the study key: bracket'), (value) =>
          [...studies.keys()].filter((key) => key.startsWith(value ?? '')),
        ),
      },
    },
    ({ study }) => {
      const definition = studies.get(study);
      if (definition === undefined) {
        const hint = didYouMean(study, studies.keys()) ?? 'list_studies lists the studies';
        throw new McpError(
          ErrorCode.InvalidParams,
          `argument study: unknown study ${JSON.stringify(study)} (${hint})`,
        );
      }
      return {
        description: `Propose the next experiment of study ${study}`,
        messages: [{ role: 'user', content: { type: 'text', text: guide(graph, definition) } }],
      };
    },
  );
}

/** The instructions for `study`, naming its variables and the assets to read. */
function guide(graph: AssetGraph, study: StudyDefinition): string {
  const assets = [...study.assets].sort((a, b) => graph.node(a).order - graph.node(b).order);
  const partitioned = assets.filter((key) => graph.node(key).definition.partitions !== undefined);
  const perDesign = partitioned.at(-1);
  const last = assets.at(-1)!;
  const summaries =
    perDesign === undefined
      ? []
      : assets.filter(
          (key) =>
            graph.node(key).order > graph.node(perDesign).order &&
            graph.node(key).definition.partitions === undefined,
        );
  const variables = Object.entries(study.variables).map(
    ([name, { min, max }]) => `${name} in [${min}, ${max}]`,
  );
  const levels = Object.entries(study.levels).map(
    ([name, values]) => `${name} one of ${values.join(', ')}`,
  );
  const read = [
    `- \`status\` with selection "+${last}": what is missing or stale and why; \`why\` on one ` +
      'asset partition for its root causes.',
    perDesign === undefined
      ? `- \`materializations\` of the study's assets (${assets.join(', ')}): their values and ` +
        'metadata as a table.'
      : `- \`materializations\` of "${perDesign}": one row per design point, columns value.* and ` +
        'metadata.*; page with offset until next is null. These are the results to compare.',
    ...summaries.map(
      (key) =>
        `- \`provenance\` of "${key}": its value (e.g. the Pareto front of the designs and the ` +
        'recommended one) and what it was computed from.',
    ),
    '- `list_runs` (status "failed") and `get_run`: steps that failed and their errors; a design ' +
      'that does not solve is a result too.',
    '- `list_plans` and `get_plan`: plans already proposed, approved or rejected (and why), so ' +
      'you do not propose the same experiment again.',
  ];
  return [
    `You plan the next experiment of the study "${study.key}" in strata.` +
      (study.description === undefined ? '' : ` The study: ${sentence(study.description)}`),
    'A named human approves every plan; you can only propose one.',
    '',
    `The study varies ${[...variables, ...levels].join('; ')}.`,
    `Its assets, upstream first: ${assets.join(', ')}.`,
    '',
    '1. Read where the study stands:',
    ...read,
    '2. Decide what the next experiment should teach: e.g. sample where the Pareto front is ' +
      'sparse, near a limit, or around the recommended design. Narrow variables and levels to ' +
      'that region (never wider than the study).',
    '3. Write the plan (its JSON Schema: `plan_schema` or the resource strata://plans/schema): ' +
      `study "${study.key}", a title, a rationale that cites the numbers you read, narrowed ` +
      'variables and levels, a design of experiments (doe), a pipeline selection from the ' +
      `study's assets (e.g. "+${last}") and limits.`,
    '4. `validate_plan` until it is valid (each issue names its field), then `propose_plan` ' +
      'with a comment for the approver. Answer with the plan id and the rationale; a human ' +
      'approves it with `strata plans approve ID`.',
  ].join('\n');
}

/** `text` ending with a full stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
