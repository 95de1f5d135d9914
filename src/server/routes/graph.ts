// GET /api/graph: the asset graph as the graph page draws it, in columns (schema GraphColumns):
// keys, groups, layout, kinds, statuses with live run state, and edges as index pairs, about a
// tenth of GET /api/assets. Statuses come from the server's status snapshot (evaluated again
// only when the latest materializations or dynamic partitions changed), live state is read per
// request, and the document is rendered again only when either changed (views/graph-document.ts);
// the answer carries an ETag, so an unchanged graph is not sent again, and is gzipped for
// clients that accept it.
import { loadPartitionActivity } from '../../planner/index.js';
import { ConditionalJson } from '../conditional-json.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { GraphColumnsResponse } from '../schemas/graph-schemas.js';
import { GraphDocuments } from '../views/graph-document.js';

const answers = new ConditionalJson();
/** The last document per server (its status snapshot). */
const documents = new WeakMap<object, GraphDocuments>();

const getGraph = defineRoute({
  method: 'get',
  path: '/api/graph',
  operationId: 'getGraph',
  tag: 'assets',
  summary: 'The asset graph in columns, for drawing it',
  description:
    'Every asset in topological order as columns (one array per field, indexed by asset), the ' +
    'edges as flat pairs of those indexes, and codes into the small tables the document ' +
    'carries. Statuses are those of GET /api/assets, live run state included. With ' +
    '`If-None-Match` naming the ETag of the current document the answer is 304 with no body.',
  responses: [
    { status: 200, description: 'the graph in columns', schema: GraphColumnsResponse },
    { status: 304, description: 'unchanged since the ETag named by If-None-Match' },
  ],
  async handle({ c, server }) {
    const { graph } = server;
    const now = server.now();
    const [report, activity] = await Promise.all([
      server.statuses.report(now),
      loadPartitionActivity(server.db),
    ]);
    let rendered = documents.get(server.statuses);
    if (rendered === undefined)
      documents.set(server.statuses, (rendered = new GraphDocuments(graph)));
    const { json, etag } = rendered.render(report, activity);
    return answers.respond(c, json, etag);
  },
});

/** The route of the graph in columns. */
export const graphRoutes: readonly ApiRoute[] = [getGraph];
