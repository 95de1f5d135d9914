// Runs a Gmsh script (`gmsh script.geo -`: parse, do what the script says, exit) in a directory
// and fails with Gmsh's own error lines when it reports any, whatever its exit code.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runProgram } from './binaries.js';

/** A Gmsh run that reported errors; the message carries Gmsh's `Error :` lines. */
export class GmshError extends Error {
  readonly output: string;

  constructor(script: string, errors: readonly string[], output: string) {
    super(`gmsh failed on ${script}: ${errors.join(' | ')}`);
    this.name = 'GmshError';
    this.output = output;
  }
}

/** Writes `script` as `dir/name` and runs it; returns everything Gmsh printed. */
export async function runGmshScript(dir: string, name: string, script: string): Promise<string> {
  await writeFile(path.join(dir, name), script);
  // -v 4: the Info lines (mesh statistics, the quality plugin's summary) that callers parse.
  const out = await runProgram('gmsh', [name, '-v', '4', '-'], dir);
  const output = `${out.stdout}\n${out.stderr}`;
  const errors = output
    .split('\n')
    .filter((line) => /^Error\s*:/.test(line))
    .map((line) => line.replace(/^Error\s*:\s*/, '').trim());
  if (out.exitCode !== 0 || errors.length > 0) {
    throw new GmshError(name, errors.length > 0 ? errors : [`exit code ${out.exitCode}`], output);
  }
  return output;
}
