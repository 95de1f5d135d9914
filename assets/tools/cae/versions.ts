// The versions of the installed CAE programs, as the programs themselves report them, recorded
// with every CAD revision, mesh and solver run (an upgraded solver makes its results stale).
import { tmpdir } from 'node:os';
import { runProgram } from './binaries.js';

const cached = new Map<string, Promise<string>>();

/** `gmsh --version` (it prints e.g. `4.8.4` on stderr). */
export function gmshVersion(): Promise<string> {
  return once('gmsh', async () => {
    const out = await runProgram('gmsh', ['--version'], tmpdir());
    const version = `${out.stdout}\n${out.stderr}`.match(/\b\d+\.\d+\.\d+\b/)?.[0];
    if (version === undefined) throw new Error(`gmsh --version printed no version: ${out.stderr}`);
    return version;
  });
}

/** `ccx -v` (it prints `This is Version 2.20`). */
export function ccxVersion(): Promise<string> {
  return once('ccx', async () => {
    const out = await runProgram('ccx', ['-v'], tmpdir());
    const version = `${out.stdout}\n${out.stderr}`.match(/Version\s+(\S+)/)?.[1];
    if (version === undefined) throw new Error(`ccx -v printed no version: ${out.stdout}`);
    return version;
  });
}

function once(key: string, read: () => Promise<string>): Promise<string> {
  let found = cached.get(key);
  if (found === undefined) {
    found = read();
    found.catch(() => cached.delete(key));
    cached.set(key, found);
  }
  return found;
}
