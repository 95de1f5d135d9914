// Runs a Node process to its exit for the benchmarks that time whole commands: its wall time and
// stdout; a non-zero exit rejects with the tail of its stderr.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Runs `node ARGS` in `cwd` with `env`; resolves with the wall time (ms) and stdout. */
export function runNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`node ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}
