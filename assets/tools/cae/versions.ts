// The versions of the installed CAE programs, as the programs themselves report them, recorded
// with every CAD revision, mesh and solver run (an upgraded solver makes its results stale), and
// the form in which a `cae` server announces them to its clients.
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

/** The programs' versions a `cae` server works with ('absent' for a program it cannot run). */
export interface CaeProgramVersions {
  readonly gmsh: string;
  readonly ccx: string;
}

/**
 * The version a `cae` server announces in its MCP handshake (serverInfo.version), which every
 * recorded tool call keeps (tool_calls.tool_version): its own and its programs', e.g.
 * `1.2.0 (gmsh 4.8.4, ccx 2.20)`.
 */
export function caeServerVersion(server: string, programs: CaeProgramVersions): string {
  return `${server} (gmsh ${programs.gmsh}, ccx ${programs.ccx})`;
}

/** The program versions in a `cae` server's announced version; undefined if it has none. */
export function programVersionsOf(announced: string): CaeProgramVersions | undefined {
  const match = /\(gmsh (\S+), ccx (\S+)\)$/.exec(announced);
  return match ? { gmsh: match[1]!, ccx: match[2]! } : undefined;
}

/** The installed programs' versions, 'absent' for a program that does not run. */
export async function installedProgramVersions(): Promise<CaeProgramVersions> {
  const [gmsh, ccx] = await Promise.all([
    gmshVersion().catch(() => 'absent'),
    ccxVersion().catch(() => 'absent'),
  ]);
  return { gmsh, ccx };
}
