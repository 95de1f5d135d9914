// Fetching a finished CalculiX run: its exit code is read but never trusted alone. The run failed
// when CalculiX wrote an `*ERROR` (./ccx-errors.ts: missing material, non-convergence, bad card,
// ...), when it exited non-zero, when it did not say `Job finished`, or when its results are not
// numbers. A model free to move as a rigid body gets no message from CalculiX's default solver
// (SPOOLES factors the singular matrix and returns huge displacements), so displacements larger
// than the model itself are reported as that failure.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CalculixError, calculixErrors, calculixWarnings } from './ccx-errors.js';
import { signalOfExitStatus, type CcxJobs } from './ccx-job.js';
import { parseDatDisplacements, parseFrd, type NodeValues } from './ccx-results.js';
import { RUN_FILES, readIfExists } from './run-files.js';

/** A successful run's results (mm, N, MPa) and its files. */
export interface CcxResult {
  readonly runId: string;
  readonly ccxVersion: string;
  readonly exitCode: number;
  readonly files: {
    readonly deck: string;
    readonly dat: string;
    readonly frd: string;
    readonly sta: string;
    readonly output: string;
  };
  /** x, y, z per node (from the `.frd`). */
  readonly coordinates: NodeValues;
  /** ux, uy, uz per node (from the `.dat`). */
  readonly displacements: NodeValues;
  /** Nodal sxx, syy, szz, sxy, syz, szx (from the `.frd`). */
  readonly stresses: NodeValues;
}

/** A model CalculiX solved as if it were restrained although it is not (singular stiffness). */
export class UnrestrainedModelError extends Error {
  constructor(runId: string, maxDisplacement: number, size: number) {
    super(
      `CalculiX run ${runId}: displacements up to ${maxDisplacement.toExponential(3)} in a model ` +
        `of size ${size.toPrecision(4)}: the model is not restrained against rigid-body motion ` +
        `(singular stiffness matrix; the SPOOLES solver does not report it)`,
    );
    this.name = 'UnrestrainedModelError';
  }
}

/** The results of a finished run; throws a {@link CalculixError} when it failed. */
export async function fetchRun(jobs: CcxJobs, runId: string): Promise<CcxResult> {
  const dir = jobs.dirOf(runId);
  const file = (name: string) => path.join(dir, name);
  const status = await readIfExists(file(RUN_FILES.exitStatus));
  if (status === undefined) throw new Error(`run ${runId} has not finished: wait for it first`);
  const exitCode = Number.parseInt(status.trim(), 10);
  const output = (await readIfExists(file(RUN_FILES.output))) ?? '';
  const sta = (await readIfExists(file(RUN_FILES.sta))) ?? '';
  const dat = (await readIfExists(file(RUN_FILES.dat))) ?? '';
  const errors = calculixErrors([output, sta, dat].join('\n'));
  if (errors.length > 0) throw new CalculixError(runId, exitCode, errors);
  if (exitCode !== 0 || !output.includes('Job finished')) {
    const tail = output.trim().split('\n').slice(-3).join(' ').replace(/\s+/g, ' ').trim();
    const signal = signalOfExitStatus(exitCode);
    const said = [
      ...(signal === undefined ? [] : [`ccx was killed by ${signal}`]),
      ...calculixWarnings(output),
      tail === '' ? 'no output' : `last words: ${tail}`,
    ];
    throw new CalculixError(runId, exitCode, said);
  }
  const frd = parseFrd(await readFile(file(RUN_FILES.frd), 'utf8'));
  const displacements = parseDatDisplacements(dat);
  checkFinite(runId, displacements, 'displacement');
  checkFinite(runId, frd.stresses, 'stress');
  checkRestrained(runId, frd.coordinates, displacements);
  const submission = JSON.parse(await readFile(file(RUN_FILES.submission), 'utf8')) as {
    ccxVersion: string;
  };
  return {
    runId,
    ccxVersion: submission.ccxVersion,
    exitCode,
    files: {
      deck: file(RUN_FILES.deck),
      dat: file(RUN_FILES.dat),
      frd: file(RUN_FILES.frd),
      sta: file(RUN_FILES.sta),
      output: file(RUN_FILES.output),
    },
    coordinates: frd.coordinates,
    displacements,
    stresses: frd.stresses,
  };
}

function checkFinite(runId: string, values: NodeValues, what: string): void {
  for (const [node, v] of values) {
    if (!v.every(Number.isFinite)) {
      throw new CalculixError(runId, 0, [`non-numeric ${what} at node ${node}: ${v.join(' ')}`]);
    }
  }
}

function checkRestrained(runId: string, coordinates: NodeValues, u: NodeValues): void {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const p of coordinates.values()) {
    p.forEach((c, i) => {
      lo[i] = Math.min(lo[i]!, c);
      hi[i] = Math.max(hi[i]!, c);
    });
  }
  const size = Math.hypot(...lo.map((l, i) => hi[i]! - l));
  let max = 0;
  for (const v of u.values()) max = Math.max(max, Math.hypot(...v));
  if (max > size) throw new UnrestrainedModelError(runId, max, size);
}
