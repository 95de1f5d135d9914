// Finding and running the external CAE programs (gmsh, ccx): a binary is resolved to an absolute
// path on the caller's PATH once, then run with a minimal environment of its own (PATH of the
// system directories, C locale, one thread), never the caller's: the worker's environment may
// hold credentials (database URL, cloud keys, tokens) that a solver has no business seeing.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** A CAE program this module can run. */
export type CaeProgram = 'gmsh' | 'ccx';

/** Threads a solver may use: the machines this runs on are shared, and the models are small. */
export const SOLVER_THREADS = 1;

/** A program's output bigger than this is a runaway (gmsh at -v 5 on a huge mesh): 64 MiB. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** A program that is not installed; `program` names it, the message says how to get it. */
export class MissingProgramError extends Error {
  readonly program: CaeProgram;

  constructor(program: CaeProgram) {
    super(
      `${program} is not on PATH: install it (Debian/Ubuntu: apt-get install gmsh calculix-ccx; ` +
        `see the README, "CAE tools")`,
    );
    this.name = 'MissingProgramError';
    this.program = program;
  }
}

/** The absolute path of `program` on `PATH` (of `env`), or undefined when it is not installed. */
export function findProgram(
  program: CaeProgram,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The absolute path of `program`, or a {@link MissingProgramError}. */
export function requireProgram(program: CaeProgram): string {
  const found = findProgram(program);
  if (found === undefined) throw new MissingProgramError(program);
  return found;
}

/**
 * The whole environment a CAE child process gets: the system PATH, the C locale (decimal points,
 * English messages to parse), one thread for OpenMP and CalculiX's solvers, HOME in its run
 * directory (gmsh writes a ~/.gmshrc there). Nothing is inherited from the caller.
 */
export function minimalEnv(home: string): Record<string, string> {
  const threads = String(SOLVER_THREADS);
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C',
    LC_ALL: 'C',
    HOME: home,
    OMP_NUM_THREADS: threads,
    CCX_NPROC_EQUATION_SOLVER: threads,
    CCX_NPROC_STIFFNESS: threads,
    CCX_NPROC_RESULTS: threads,
  };
}

/** What a finished program printed. */
export interface ProgramOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs `program` with `args` in `cwd` and the minimal environment; resolves whatever its exit code. */
export function runProgram(
  program: CaeProgram,
  args: readonly string[],
  cwd: string,
): Promise<ProgramOutput> {
  const file = requireProgram(program);
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd, env: minimalEnv(cwd), maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          const why = error.signal ? `was killed by ${error.signal}` : `could not run`;
          reject(new Error(`${program} ${why}: ${error.message}`, { cause: error }));
          return;
        }
        resolve({ stdout, stderr, exitCode: typeof error?.code === 'number' ? error.code : 0 });
      },
    );
  });
}
