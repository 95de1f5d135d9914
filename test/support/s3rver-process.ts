// Starts the S3-compatible test server (test/fixtures/s3rver-main.ts) as a child process and
// stops it: the store's requests then cross a real socket to another process, whose memory and
// file I/O are not the test's, and killing it leaves a truly unreachable endpoint.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../fixtures/s3rver-main.ts', import.meta.url));
/** How long the server may take to start (tsx compiles the script first). */
const START_TIMEOUT_MS = 30_000;

/** s3rver's fixed credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * Puts s3rver's credentials in this process's environment, where the AWS SDK's default chain
 * reads them as it would in a real worker; returns how to put the environment back.
 */
export function useS3rverCredentials(): () => void {
  const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
  const saved = names.map((name) => process.env[name]);
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  return () => {
    names.forEach((name, index) => {
      const value = saved[index];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    });
  };
}

/** A running s3rver process. */
export interface S3rverProcess {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly pid: number;
  /** Stops the server and waits for its exit. */
  stop(): Promise<void>;
}

/** Starts s3rver with its data in `directory` and the bucket `bucket`. */
export async function startS3rver(directory: string, bucket: string): Promise<S3rverProcess> {
  // s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its
  // legacy provider: without it every listing longer than one page fails with InternalError.
  const args = ['--openssl-legacy-provider', '--import', 'tsx', MAIN, directory, bucket];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`s3rver did not start in ${START_TIMEOUT_MS} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^ready (\d+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}: ${stderr}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
