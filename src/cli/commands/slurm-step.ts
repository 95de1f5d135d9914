// `strata slurm-step --attempt ID`: what a Slurm job submitted by a worker runs on the compute
// node. It loads the same definitions as the worker (--definitions, $STRATA_DEFINITIONS or
// assets/index.ts), reads the database URL and the artifact store from the private file named
// by $STRATA_SLURM_ENV_FILE, and runs exactly that attempt, recording its outcome itself
// (src/executor/slurm/slurm-step.ts). A superseded attempt (taken over, its run cancelled) does
// nothing. Not meant to be run by hand.
import { UsageError } from '../../errors.js';
import type { Command } from '../command.js';

/** `strata slurm-step`. */
export const slurmStepCommand: Command = {
  name: 'slurm-step',
  summary: 'Run one step attempt inside the Slurm job a worker submitted (internal)',
  usage: ['strata slurm-step --attempt ID [--definitions PATH]'],
  details: [
    'Run by the Slurm jobs of assets declared with executor: slurm({...}): computes the attempt',
    'as a worker would and records its outcome. The database URL and the artifact store come',
    'from the 0600 file named by $STRATA_SLURM_ENV_FILE, never from the job environment.',
  ],
  options: {
    attempt: { type: 'string', valueName: 'ID', description: 'The attempt this job runs' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    const text = context.flags.string('attempt');
    const attempt = Number(text);
    if (text === undefined || !Number.isSafeInteger(attempt) || attempt < 1)
      throw new UsageError(
        `slurm-step: --attempt needs an attempt id, got ${JSON.stringify(text)}`,
      );
    const graph = await context.loadGraph();
    const { runSlurmStepFromEnv } = await import('../../executor/slurm/slurm-step.js');
    const result = await runSlurmStepFromEnv(graph, attempt);
    if (context.json) context.printJson({ attempt, result });
    else context.print(`attempt ${attempt}: ${result}`);
  },
};
