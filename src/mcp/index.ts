// The face of mcp/: strata's MCP server for AI planners.
export { plannerServer, type PlannerServerContext } from './planner-server.js';
