// `strata mcp`: the MCP server for AI planners over stdio (docs/mcp.md), for a desktop LLM app
// or an agent to start as a subprocess. It acts as the planner `mcp:user@host`: it reads and
// proposes, and a named human approves with `strata plans approve`.
import { hostname } from 'node:os';
import { localActor } from '../../access/index.js';
import type { Command } from '../command.js';

/** `strata mcp`. */
export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'Serve MCP over stdio for AI planners (read results, validate and propose plans)',
  usage: ['strata mcp [options]'],
  details: [
    'Speaks the Model Context Protocol on stdin and stdout: configure an MCP client to run',
    '`npx strata mcp` in the project directory (docs/mcp.md). Read tools: list_assets,',
    'list_studies, status, why, lineage, provenance, materializations, list_runs, get_run,',
    'plan_schema, get_plan, list_plans, validate_plan, diff_plans. Plan tools: propose_plan,',
    'revise_plan, withdraw_plan; no tool approves. Prompt: propose_next_experiment. What it',
    'proposes is recorded as proposed by mcp:USER@HOST with the planner role.',
  ],
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
    const { MCP_SERVER_VERSION, plannerServer } = await import('../../mcp/index.js');
    const graph = await context.loadGraph();
    const { db } = await context.database();
    const server = plannerServer({
      graph,
      db,
      actor: { name: `mcp:${localActor()}`, role: 'planner', origin: `mcp stdio on ${hostname()}` },
      version: MCP_SERVER_VERSION,
    });
    const closed = new Promise<void>((resolve) => {
      server.server.onclose = () => resolve();
    });
    await server.connect(new StdioServerTransport());
    context.note('strata mcp: serving MCP on stdio');
    await closed;
  },
};
