// `strata worker`: joins the worker pool of this database and executes steps of any run until
// stopped (Ctrl-C or SIGTERM finish the running steps first).
import type { Command } from '../command.js';
import { EXECUTION_OPTIONS, executionSetup } from '../execution-setup.js';

/** `strata worker`. */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'Join the worker pool of this database and run steps',
  usage: ['strata worker [--concurrency N] [--lease DURATION] [options]'],
  details: [
    'Runs steps of every run on this database, beside `strata materialize` processes and other',
    'workers on any machine. Steps of a worker that stops heartbeating are taken over by others.',
  ],
  options: {
    ...EXECUTION_OPTIONS,
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    const { graph, handle, artifacts, gitCommit, concurrency, leaseMs } =
      await executionSetup(context);
    const { startWorkerPool } = await import('../../executor/index.js');
    const pool = await startWorkerPool({
      db: handle.db,
      queuePool: handle.pool,
      graph,
      artifacts,
      concurrency,
      leaseMs,
      gitCommit,
      onQueueLog: (level, message) => context.note(`queue ${level}: ${message}`),
    });
    const stopped = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    if (context.json)
      context.printJson({ workerId: pool.workerId, concurrency, assets: graph.size });
    else
      context.print(
        `worker ${pool.workerId} ready: ${graph.size} assets, concurrency ${concurrency}; Ctrl-C to stop`,
      );
    const signal = await stopped;
    context.note(`${signal}: finishing running steps...`);
    await pool.stop();
    context.note(`worker ${pool.workerId} stopped`);
  },
};
