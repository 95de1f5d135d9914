// The face of mcp/: strata's MCP server for AI planners.
export { mcpHttpHandler, type McpHttpHandler } from './http-handler.js';
export { MCP_SERVER_VERSION, plannerServer, type PlannerServerContext } from './planner-server.js';
