// Tools about materializations: `lineage` (the exact materializations upstream or downstream of
// one, depth-limited and paginated), `provenance` (everything recorded about one, with the run
// that made it and who launched it, and the arguments of its tool calls) and `materializations`
// (an asset's latest values and metadata as a table, one row per partition: e.g. a study's
// metrics per design point).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UNPARTITIONED } from '../graph/index.js';
import { loadRun } from '../executor/index.js';
import type { AssetKey } from '../definitions/index.js';
import { computeStatus, resolvePartitionSets } from '../planner/index.js';
import {
  assetNodeOf,
  loadLineage,
  loadMaterializationTable,
  loadProvenance,
  resolveMaterialization,
  type ProvenanceToolCall,
} from '../provenance/index.js';
import type { ReadToolsContext } from './read-tools.js';
import {
  answer,
  badArgument,
  blamed,
  guarded,
  nextOffset,
  pageArguments,
  withoutNulls,
  READ_ONLY,
} from './tool-results.js';

/** A value, or a tool call's arguments, longer than this (as JSON) is left out of an answer. */
const MAX_VALUE_CHARS = 4_000;

/** A tool call as a provenance answer shows it: arguments too long to show are left out. */
function shownToolCall(call: ProvenanceToolCall): Record<string, unknown> {
  const { arguments: args, ...fields } = call;
  const text = JSON.stringify(args) ?? 'null';
  return text.length <= MAX_VALUE_CHARS
    ? { ...fields, arguments: args }
    : { ...fields, argumentsOmitted: `${text.length} characters: too long to show here` };
}

const materializationArgument = z
  .string()
  .min(1)
  .max(300)
  .describe('a materialization id (123), or KEY / KEY[PARTITION] for the latest one');

/** Registers `lineage`, `provenance` and `materializations` on `server`. */
export function registerMaterializationTools(server: McpServer, context: ReadToolsContext): void {
  const { graph, db } = context;
  /** The partitions of `key` that plan `planId` made: its design points, or its own. */
  const planPartitions = async (key: AssetKey, planId: string): Promise<readonly string[]> => {
    const set = (await resolvePartitionSets(db, graph, [key])).get(key)!;
    const produced = set.producedBy?.get(planId);
    if (produced !== undefined) return produced;
    if (set.keys.includes(planId)) return [planId];
    throw badArgument(
      'plan',
      `${key} has no partitions of plan ${planId}`,
      'get_plan shows its state: a plan has partitions once executed',
    );
  };
  const resolve = (ref: string) =>
    blamed('materialization', () => resolveMaterialization(db, graph, ref));

  server.registerTool(
    'lineage',
    {
      description:
        'The exact materializations one was computed from (upstream) or that consumed it ' +
        '(downstream), nearest first, each with the inputs it read among them. Paginated.',
      inputSchema: z.strictObject({
        materialization: materializationArgument,
        direction: z.enum(['upstream', 'downstream']).default('upstream'),
        depth: z
          .number()
          .int()
          .min(0)
          .max(100)
          .default(3)
          .describe('levels to walk (1: direct inputs or consumers; default 3)'),
        ...pageArguments,
      }),
      annotations: READ_ONLY,
    },
    async ({ materialization, direction, depth, offset, limit }) =>
      guarded(async () => {
        const target = await resolve(materialization);
        const lineage = await loadLineage(db, {
          materializationId: target.materializationId,
          direction,
          depth,
        });
        const inputs = new Map<number, { materializationId: number; inputName: string }[]>();
        for (const edge of lineage.edges) {
          const list = inputs.get(edge.to) ?? [];
          list.push({ materializationId: edge.from, inputName: edge.inputName });
          inputs.set(edge.to, list);
        }
        const nodes = lineage.nodes.slice(offset, offset + limit).map((node) => {
          const read = inputs.get(node.materializationId) ?? [];
          return { ...withoutNulls(node), ...(read.length === 0 ? {} : { inputs: read }) };
        });
        return answer({
          root: lineage.root,
          direction,
          depth,
          nodes,
          total: lineage.nodes.length,
          next: nextOffset(offset, limit, lineage.nodes.length),
        });
      }),
  );

  server.registerTool(
    'provenance',
    {
      description:
        'Everything recorded about one materialization: code and data versions, the exact ' +
        'inputs, value and metadata, artifacts, tool calls, and the run (with who launched it).',
      inputSchema: z.strictObject({ materialization: materializationArgument }),
      annotations: READ_ONLY,
    },
    async ({ materialization }) =>
      guarded(async () => {
        const target = await resolve(materialization);
        const provenance = await loadProvenance(db, target.materializationId);
        const { value, inputs, artifacts, toolCalls, ...fields } = provenance;
        const run = provenance.runId === null ? undefined : await loadRun(db, provenance.runId);
        const valueText = JSON.stringify(value) ?? 'null';
        return answer({
          ...withoutNulls(fields),
          ...(value === null
            ? {}
            : valueText.length <= MAX_VALUE_CHARS
              ? { value }
              : { valueOmitted: `${valueText.length} characters: too long to show here` }),
          inputs,
          artifacts,
          toolCalls: toolCalls.map(shownToolCall),
          ...(run === undefined
            ? {}
            : {
                run: withoutNulls({
                  runId: run.runId,
                  status: run.status,
                  selection: run.selection,
                  trigger: run.trigger,
                  triggerReason: run.triggerReason,
                  launchedBy: run.launchedBy,
                  createdAt: run.createdAt,
                  finishedAt: run.finishedAt,
                }),
              }),
        });
      }),
  );

  server.registerTool(
    'materializations',
    {
      description:
        'The latest value and metadata of each partition of an asset as a table: columns ' +
        '`value.FIELD` (top-level scalar fields of the value) and `metadata.KEY`, one row per ' +
        'partition with its materialization id and status. E.g. a study’s metrics per design ' +
        'point. With `plan`, only that experiment plan’s partitions (its design points, or its ' +
        'own partition): its results. Paginated (rows in partition key order).',
      inputSchema: z.strictObject({
        asset: z.string().min(1).max(300).describe('the asset key: metrics'),
        plan: z
          .string()
          .regex(/^plan-[0-9a-f]{16}$/, 'a plan id: plan- and 16 hex digits')
          .optional()
          .describe('only the partitions of this experiment plan'),
        digits: z
          .number()
          .int()
          .min(1)
          .max(17)
          .optional()
          .describe('round numbers to this many significant digits (default: exact)'),
        ...pageArguments,
      }),
      annotations: READ_ONLY,
    },
    async ({ asset, plan, digits, offset, limit }) =>
      guarded(async () => {
        const node = await blamed('asset', () => assetNodeOf(graph, asset));
        const partitioned = node.definition.partitions !== undefined;
        const only = plan === undefined ? undefined : await planPartitions(node.key, plan);
        const [table, report] = await Promise.all([
          loadMaterializationTable(db, node.key, { offset, limit }, only),
          computeStatus(db, graph, [node.key], context.now()),
        ]);
        const statuses = report.statuses.get(node.key);
        return answer({
          key: node.key,
          columns: [...(partitioned ? ['partition'] : []), 'id', 'status', ...table.columns],
          rows: table.rows.map((row) => [
            ...(partitioned ? [row.partition] : []),
            row.materializationId,
            statuses?.get(row.partition ?? UNPARTITIONED)?.status ?? null,
            ...row.cells.map((cell) =>
              typeof cell === 'number' && digits !== undefined
                ? Number(cell.toPrecision(digits))
                : cell,
            ),
          ]),
          total: table.total,
          next: nextOffset(offset, limit, table.total),
        });
      }),
  );
}
