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
    'Ctrl-C or SIGTERM stops it gracefully: it starts no new step, finishes the running ones and',
    'gives the rest back to the queue. It waits through database restarts for up to --db-outage.',
  ],
  options: {
    ...EXECUTION_OPTIONS,
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    const { engine, worker } = await executionSetup(context);
    const { startWorkerPool } = await import('../../executor/index.js');
    const pool = await startWorkerPool(engine, worker);
    const { concurrency } = pool.options;
    const assets = engine.graph.size;
    // The first Ctrl-C or SIGTERM stops gracefully; a second one interrupts the running steps
    // and hands them back.
    let signals = 0;
    let onSignal: (signal: NodeJS.Signals) => void = () => {};
    const stopped = new Promise<string>((resolve) => {
      onSignal = (signal) => {
        signals++;
        if (signals === 1) resolve(signal);
        else if (signals === 2) {
          context.note(`${signal}: interrupting running steps; they go back to the queue`);
          void pool.interrupt();
        }
      };
    });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (context.json) context.printJson({ workerId: pool.workerId, concurrency, assets });
    else
      context.print(
        `worker ${pool.workerId} ready: ${assets} assets, concurrency ${concurrency}; Ctrl-C to stop`,
      );
    const signal = await Promise.race([stopped, pool.failed]).catch(async (error: unknown) => {
      await pool.stop();
      throw error;
    });
    context.note(`${signal}: finishing running steps (${signal} again to hand them back now)...`);
    await pool.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    context.note(`worker ${pool.workerId} stopped`);
  },
};
