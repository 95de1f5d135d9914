// A real single-node Slurm cluster for a test file: scripts/slurm-cluster.sh installs Debian's
// slurm-wlm and munge when missing and starts munged, slurmctld and slurmd under a fresh
// temporary directory (own ports, own munge key), so test files never share a cluster. When the
// packages cannot be installed the cluster is unavailable with the reason (tests skip and print
// it); when they are installed but the cluster does not start, that is a failure.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/slurm-cluster.sh', import.meta.url));
/** apt may download for a while on a fresh machine; starting takes about a second. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const START_TIMEOUT_MS = 90_000;

/** A running cluster, or why there is none. */
export type SlurmCluster =
  | {
      readonly available: true;
      /** What a client needs: SLURM_CONF. */
      readonly env: Readonly<Record<string, string>>;
      /** The cluster's state directory; `jobs/` in it is writable by every job. */
      readonly stateDir: string;
      /** Milliseconds the start took (daemons up and the node idle). */
      readonly startMs: number;
      stop(): Promise<void>;
    }
  | { readonly available: false; readonly reason: string };

function script(
  command: string,
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      SCRIPT,
      [command],
      { env: { ...process.env, ...env }, timeout: timeoutMs, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ ok: error === null, stdout, stderr }),
    );
  });
}

/** Installs (when missing) and starts a cluster of its own; stop() stops it and deletes its directory. */
export async function startSlurmCluster(): Promise<SlurmCluster> {
  const install = await script('install', {}, INSTALL_TIMEOUT_MS);
  if (!install.ok)
    return {
      available: false,
      reason: `Slurm could not be installed: ${install.stderr.trim().split('\n').slice(-3).join(' / ')}`,
    };
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'strata-test-slurm-'));
  const env = { STRATA_SLURM_DIR: stateDir };
  const started = performance.now();
  const start = await script('start', env, START_TIMEOUT_MS);
  const startMs = Math.round(performance.now() - started);
  if (!start.ok) {
    await script('stop', env, START_TIMEOUT_MS);
    throw new Error(`scripts/slurm-cluster.sh start failed:\n${start.stderr}`);
  }
  const conf = /^export SLURM_CONF=(.+)$/m.exec(start.stdout)?.[1];
  if (conf === undefined)
    throw new Error(`scripts/slurm-cluster.sh start printed no SLURM_CONF:\n${start.stdout}`);
  return {
    available: true,
    env: { SLURM_CONF: conf },
    stateDir,
    startMs,
    async stop() {
      const stop = await script('stop', env, START_TIMEOUT_MS);
      if (!stop.ok) throw new Error(`scripts/slurm-cluster.sh stop failed:\n${stop.stderr}`);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
