// The schema of GET /api/graph: the asset graph as the graph page draws it, in columns (one
// array per field, indexed by asset in topological order) with edges as pairs of those indexes
// and codes into small tables the document carries, about a tenth of GET /api/assets. What a
// card does not show (descriptions, owners, tags, mappings, definitions) is read per asset.
import { z } from 'zod';
import { GraphLayout, GraphTotals } from './asset-schemas.js';
import { AssetFreshness } from './freshness-schemas.js';
import { named } from './registry.js';
import { Timestamp } from './common-schemas.js';

const ints = (description: string) => z.array(z.number().int()).meta({ description });

/** GET /api/graph. */
export const GraphColumnsResponse = named(
  'GraphColumns',
  z.object({
    evaluatedAt: Timestamp,
    keys: z.array(z.string()).meta({ description: 'asset keys in topological order' }),
    groupNames: z.array(z.string()),
    group: ints('per asset, its group (index into groupNames)'),
    layer: ints('per asset, its layer in the layered layout (0: sources)'),
    row: ints('per asset, its position within its layer'),
    partitioned: ints('per asset, 1 if partitioned'),
    source: ints('per asset, 1 for a source asset (observed, never computed)'),
    automationKinds: z.array(z.string()),
    automation: ints('per asset, its automation policy (index into automationKinds), -1: none'),
    stateNames: z.array(z.string()).meta({ description: 'the AssetState values the codes name' }),
    state: ints('per asset, its state (index into stateNames)'),
    statusNames: z.array(z.string()),
    status: ints('per asset, its worst partition status (index into statusNames)'),
    fresh: ints('per asset, fresh partitions'),
    stale: ints('per asset, stale partitions'),
    missing: ints('per asset, missing partitions'),
    blocked: ints('per asset, partitions blocked by a failing blocking check'),
    running: ints('per asset, running partitions'),
    failed: ints('per asset, failed partitions'),
    total: ints('per asset, partitions'),
    causeNames: z.array(z.string()),
    mainCause: ints('per asset, its main stale cause (index into causeNames), -1: none'),
    reasons: z.array(z.string()).meta({ description: 'distinct main reasons in words' }),
    mainReason: ints('per asset, an example of its main cause (index into reasons), -1: none'),
    awaitingProducer: ints('per asset, the producer it awaits (index into keys), -1: none'),
    freshness: z
      .array(z.object({ asset: z.number().int(), freshness: AssetFreshness }))
      .meta({ description: 'the assets with a freshness policy, and where they stand' }),
    edges: ints('data dependencies as flat pairs of asset indexes: from, to, from, to, …'),
    producerEdges: ints(
      'partition-producer edges (the producer is not also an input), as flat pairs',
    ),
    layout: GraphLayout,
    totals: GraphTotals,
  }),
  'the asset graph in columns, for drawing it',
);
