// The machine a benchmark ran on, for the report: cores, CPU model, RAM, Node and PostgreSQL.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { BenchServer } from './server.js';

/** What docs/benchmarks.md records about the machine. */
export interface MachineInfo {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly ramGiB: number;
  readonly node: string;
  readonly postgres: string;
  readonly postgresSettings: Readonly<Record<string, string>>;
  readonly database: 'embedded' | 'DATABASE_URL';
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: fall through
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** Describes this machine and the benchmark server. */
export function machineInfo(server: BenchServer): MachineInfo {
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpuModel(),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: server.postgresVersion,
    postgresSettings: server.settings,
    database: server.stateDir === undefined ? 'DATABASE_URL' : 'embedded',
  };
}
