// The read tools of the MCP server: what a model needs to read results before it proposes the
// next experiment. Each reads the database and the definitions and changes nothing.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Kysely } from 'kysely';
import type { AssetGraph } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { registerMaterializationTools } from './materialization-tools.js';
import { registerRunTools } from './run-tools.js';
import { registerStatusTools } from './status-tools.js';

/** What the read tools read. */
export interface ReadToolsContext {
  readonly graph: AssetGraph;
  readonly db: Kysely<Database>;
  /** The instant statuses are evaluated at. */
  readonly now: () => Date;
}

/** Registers status, why, lineage, provenance, materializations, list_runs and get_run. */
export function registerReadTools(
  server: McpServer,
  context: Pick<ReadToolsContext, 'graph' | 'db'> & { readonly now?: () => Date },
): void {
  const full: ReadToolsContext = {
    graph: context.graph,
    db: context.db,
    now: context.now ?? (() => new Date()),
  };
  registerStatusTools(server, full);
  registerMaterializationTools(server, full);
  registerRunTools(server, full);
}
