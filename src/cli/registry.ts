// The subcommands of `strata`: names, one-line summaries and lazy loaders, so that starting the
// CLI imports only the module of the command actually run.
import type { Command } from './command.js';

/** A subcommand as listed by `strata --help`. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

/** Every subcommand, in the order `strata --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'Create a project: package.json, tsconfig.json, assets/index.ts, .gitignore',
    load: async () => (await import('./commands/init.js')).initCommand,
  },
  {
    name: 'materialize',
    summary: 'Materialize the missing and stale partitions of a selection',
    load: async () => (await import('./commands/materialize.js')).materializeCommand,
  },
  {
    name: 'backfill',
    summary: 'Backfill partition ranges durably, in chunks: create, drive, pause, resume, retry',
    load: async () => (await import('./commands/backfill.js')).backfillCommand,
  },
  {
    name: 'observe',
    summary: 'Observe source assets and record the versions they have now',
    load: async () => (await import('./commands/observe.js')).observeCommand,
  },
  {
    name: 'check',
    summary: 'Evaluate asset checks on the latest materializations and record the verdicts',
    load: async () => (await import('./commands/check.js')).checkCommand,
  },
  {
    name: 'plan',
    summary: 'Show what materialize would run, and why',
    load: async () => (await import('./commands/plan.js')).planCommand,
  },
  {
    name: 'status',
    summary: 'Show which assets are fresh, stale or missing',
    load: async () => (await import('./commands/status.js')).statusCommand,
  },
  {
    name: 'why',
    summary: 'Explain the status of one asset partition, down to its root causes',
    load: async () => (await import('./commands/why.js')).whyCommand,
  },
  {
    name: 'lineage',
    summary: 'Show the materializations upstream or downstream of one',
    load: async () => (await import('./commands/lineage.js')).lineageCommand,
  },
  {
    name: 'provenance',
    summary: 'Show everything recorded about one materialization',
    load: async () => (await import('./commands/provenance.js')).provenanceCommand,
  },
  {
    name: 'mcp',
    summary: 'Serve MCP over stdio for AI planners (read, validate and propose plans)',
    load: async () => (await import('./commands/mcp.js')).mcpCommand,
  },
  {
    name: 'plans',
    summary: 'Experiment plans: print the JSON Schema of a plan',
    load: async () => (await import('./commands/plans.js')).plansCommand,
  },
  {
    name: 'tokens',
    summary: 'Create, list and revoke the named API tokens of strata serve',
    load: async () => (await import('./commands/tokens.js')).tokensCommand,
  },
  {
    name: 'serve',
    summary: 'Serve the HTTP API of the lineage browser',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  {
    name: 'worker',
    summary: 'Join the worker pool of this database and run steps',
    load: async () => (await import('./commands/worker.js')).workerCommand,
  },
  {
    name: 'slurm-step',
    summary: 'Run one step attempt inside the Slurm job a worker submitted (internal)',
    load: async () => (await import('./commands/slurm-step.js')).slurmStepCommand,
  },
  {
    name: 'daemon',
    summary: 'Run the automation daemon: rebuild automated assets when they need it',
    load: async () => (await import('./commands/daemon.js')).daemonCommand,
  },
  {
    name: 'automation',
    summary: 'Show what the automation daemon evaluated, launched and held back',
    load: async () => (await import('./commands/automation.js')).automationCommand,
  },
  {
    name: 'artifacts',
    summary: 'Garbage-collect the artifact store (dry run unless --delete)',
    load: async () => (await import('./commands/artifacts.js')).artifactsCommand,
  },
  {
    name: 'events',
    summary: 'Prune old run events and automation ticks (lineage and provenance stay)',
    load: async () => (await import('./commands/events.js')).eventsCommand,
  },
  {
    name: 'db',
    summary: 'Manage the database: start, stop, url, status, migrate',
    load: async () => (await import('./commands/db.js')).dbCommand,
  },
];
