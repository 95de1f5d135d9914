// CPU load for the under-load benchmarks: child Node processes each spinning a busy loop. A hog
// also exits by itself when its parent is gone or after a time limit, so even a benchmark killed
// with SIGKILL leaves nothing spinning on a shared machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** The longest a hog spins if nobody stops it. */
const MAX_LIFETIME_MS = 10 * 60_000;

/** Spins; every ~million iterations checks the parent (argv[1]) and the deadline (argv[2]). */
const HOG_SOURCE = `
const parent = Number(process.argv[1]);
const deadline = Date.now() + Number(process.argv[2]);
process.stdout.write('spinning\\n');
let x = 0;
for (;;) {
  for (let i = 0; i < 1e6; i++) x = (x + i) | 0;
  if (Date.now() > deadline) process.exit(0);
  try { process.kill(parent, 0); } catch { process.exit(0); }
}`;

/** Running hogs; stop() kills them and waits for their exit. */
export interface CpuHogs {
  readonly count: number;
  stop(): Promise<void>;
}

async function stopHog(hog: ChildProcess): Promise<void> {
  if (hog.exitCode !== null || hog.signalCode !== null) return;
  const exited = once(hog, 'exit');
  hog.kill('SIGKILL');
  await exited;
}

/** Starts `count` busy-loop processes and resolves once every one of them is spinning. */
export async function startCpuHogs(count: number): Promise<CpuHogs> {
  const hogs: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(hogs.map(stopHog));
  };
  try {
    for (let i = 0; i < count; i++) {
      const hog = spawn(
        process.execPath,
        ['-e', HOG_SOURCE, String(process.pid), String(MAX_LIFETIME_MS)],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      hogs.push(hog);
      await new Promise<void>((resolve, reject) => {
        hog.once('error', reject);
        hog.once('exit', (code) => reject(new Error(`CPU hog exited early (code ${code})`)));
        hog.stdout!.once('data', () => resolve());
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { count, stop };
}
