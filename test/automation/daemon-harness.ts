// Daemons for the automation tests: each with its own launcher (an in-process worker pool) and a
// settable clock, stopped after each test (daemons) and after the file (launchers).
import { afterAll, afterEach } from 'vitest';
import { AutomationDaemon, type TickResult } from '../../src/automation/index.js';
import { RunLauncher, watchRun } from '../../src/executor/index.js';
import type { AssetGraph } from '../../src/graph/index.js';
import type { TestDatabase } from '../support/database.js';
import { testEngine } from '../support/engine.js';

/** Registers the cleanup hooks; returns the factory and helpers bound to `database`. */
export function useDaemons(database: TestDatabase) {
  const launchers: RunLauncher[] = [];
  const daemons: AutomationDaemon[] = [];
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((d) => d.stop()));
  });
  afterAll(async () => {
    await Promise.all(launchers.splice(0).map((l) => l.close()));
  });
  return {
    /** A daemon (and its launcher) at the instant `clock.now`. */
    daemonFor(graph: AssetGraph, clock: { now: Date }) {
      const engine = testEngine(database, graph);
      const launcher = new RunLauncher(engine, { concurrency: 2 });
      launchers.push(launcher);
      const daemon = new AutomationDaemon(engine, {
        launcher,
        now: () => clock.now,
      });
      daemons.push(daemon);
      return { daemon, launcher };
    },
    /** How run `runId` ended, once it has. */
    async finished(runId: number): Promise<string> {
      return (await watchRun(database.db, database.pool, runId, () => undefined)).status;
    },
  };
}

/** The tick's record; fails the test when the daemon stood by. */
export function acted(result: TickResult) {
  if (result.status === 'standby') throw new Error('the daemon did not act');
  return result;
}
