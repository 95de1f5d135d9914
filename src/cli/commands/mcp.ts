// `strata mcp`: the MCP server for AI planners over stdio (docs/mcp.md), for a desktop LLM app
// or an agent to start as a subprocess. It acts as the planner `mcp:user@host`: it reads and
// proposes, and a named human approves with `strata plans approve`. When the definitions change
// on disk, a new server takes over the session (mcp-reload-proxy.ts).
import { hostName } from '../../util/host-name.js';
import { localActor } from '../../access/index.js';
import type { Command, CommandContext } from '../command.js';
import { relayMcpWithReload } from '../mcp-reload-proxy.js';
import { NO_RELOAD_OPTION } from '../reload-supervisor.js';

/**
 * The exit status of the session relayed to a child `strata mcp --no-reload` that is replaced
 * when the definitions change; undefined when this process serves itself (a child, --no-reload,
 * a test's in-process run, no definitions file).
 */
async function relayIfReloading(context: CommandContext): Promise<number | undefined> {
  if (context.io.ownsProcess !== true || context.flags.boolean('no-reload')) return undefined;
  const definitionsFile = await context.definitionsPath();
  if (definitionsFile === undefined) return undefined;
  return relayMcpWithReload({
    definitionsFile,
    childCommand: [
      process.execPath,
      ...process.execArgv,
      process.argv[1]!,
      ...process.argv.slice(2),
      '--no-reload',
    ],
    input: process.stdin,
    output: process.stdout,
    note: context.note,
  });
}

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
    'proposes is recorded as proposed by mcp:USER@HOST with the planner role. Edited',
    'definitions are reloaded within the session (--no-reload keeps those of the start).',
  ],
  options: { ...NO_RELOAD_OPTION },
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    const relayed = await relayIfReloading(context);
    if (relayed !== undefined) return relayed;
    const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
    const { MCP_SERVER_VERSION, plannerServer } = await import('../../mcp/index.js');
    const graph = await context.loadGraph();
    const { db } = await context.database();
    const server = plannerServer({
      graph,
      db,
      actor: { name: `mcp:${localActor()}`, role: 'planner', origin: `mcp stdio on ${hostName()}` },
      version: MCP_SERVER_VERSION,
    });
    const closed = new Promise<void>((resolve) => {
      server.server.onclose = () => resolve();
    });
    await server.connect(new StdioServerTransport());
    // The client closed its end (or a reloading parent handed the session over): done.
    process.stdin.once('end', () => void server.close());
    context.note('strata mcp: serving MCP on stdio');
    await closed;
  },
};
