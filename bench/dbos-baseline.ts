// DBOS Transact (@dbos-inc/dbos-sdk, Postgres-backed durable workflows) as a baseline, on the
// benchmark server: its system database is a database of its own there, created here, migrated
// by DBOS at launch and dropped at stop. A chain is one workflow of N sequential DBOS.runStep
// no-ops; a fan-out is N one-step workflows started at once with DBOS.startWorkflow (no queue:
// the fastest of the idiomatic ways we measured; a queue dispatches by polling).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { databaseUrl, withClient, type BenchServer } from './support/server.js';

/** A launched DBOS with the benchmark's two workflows registered. */
export interface DbosBaseline {
  /** The installed @dbos-inc/dbos-sdk version, for labels. */
  readonly version: string;
  /** Runs one workflow of `steps` sequential no-op steps to completion. */
  chain(steps: number): Promise<void>;
  /** Starts `workflows` one-step workflows at once and waits for every result. */
  fanOut(workflows: number): Promise<void>;
  /** Shuts DBOS down (clearing its registry) and drops its system database. */
  stop(): Promise<void>;
}

/** DBOS is a process-wide singleton: one baseline at a time. */
let launched = false;

function installedVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@dbos-inc/dbos-sdk');
  const manifest = path.join(path.dirname(entry), '../../package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

async function noopStep(index: number): Promise<number> {
  return index;
}

/** Creates DBOS's system database on `server`, registers the workflows and launches DBOS. */
export async function startDbosBaseline(server: BenchServer, label: string): Promise<DbosBaseline> {
  if (launched) throw new Error('startDbosBaseline: DBOS is already launched in this process');
  const name = `strata_bench_dbos_${label}_${randomBytes(4).toString('hex')}`;
  await withClient(server.adminUrl, (client) => client.query(`create database ${name}`));
  launched = true;
  const stop = async (): Promise<void> => {
    try {
      await DBOS.shutdown({ deregister: true });
    } finally {
      launched = false;
      await withClient(server.adminUrl, (client) =>
        client.query(`drop database if exists ${name} with (force)`),
      );
    }
  };
  try {
    DBOS.setConfig({
      name: 'strata-bench',
      applicationVersion: 'bench',
      systemDatabaseUrl: databaseUrl(server.adminUrl, name),
      logLevel: 'warn',
    });
    const chainWorkflow = DBOS.registerWorkflow(
      async (steps: number): Promise<void> => {
        for (let i = 0; i < steps; i++) await DBOS.runStep(() => noopStep(i), { name: 'noop' });
      },
      { name: 'bench_chain' },
    );
    const oneStepWorkflow = DBOS.registerWorkflow(
      (index: number): Promise<number> => DBOS.runStep(() => noopStep(index), { name: 'noop' }),
      { name: 'bench_one_step' },
    );
    await DBOS.launch();
    return {
      version: installedVersion(),
      chain: (steps) => chainWorkflow(steps),
      async fanOut(workflows) {
        const handles = await Promise.all(
          Array.from({ length: workflows }, (_, i) => DBOS.startWorkflow(oneStepWorkflow)(i)),
        );
        await Promise.all(handles.map((handle) => handle.getResult()));
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
