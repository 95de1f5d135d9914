// Where the example's finite-element solve (fea_run) runs, by configuration: in the worker by
// default, or as a Slurm job when $STRATA_FEA_SLURM holds slurm()'s options as JSON, e.g.
// STRATA_FEA_SLURM='{"partition":"fea","cpus":4,"memory":"8G","time":"30:00"}' (docs/slurm.md).
import { DefinitionError, slurm, type SlurmExecutorDeclaration } from 'strata';

/** The variable that sends fea_run to Slurm. */
export const FEA_SLURM_ENV = 'STRATA_FEA_SLURM';

/** fea_run's executor as `env` configures it; undefined: the worker computes it. */
export function feaExecutorOf(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SlurmExecutorDeclaration | undefined {
  const text = env[FEA_SLURM_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  let options: unknown;
  try {
    options = JSON.parse(text);
  } catch (error) {
    throw new DefinitionError(`${FEA_SLURM_ENV} is not JSON: ${(error as Error).message}`, {
      hint: `e.g. ${FEA_SLURM_ENV}='{"partition":"fea","time":"30:00"}'`,
    });
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new DefinitionError(`${FEA_SLURM_ENV} must be a JSON object of slurm() options`);
  // asset() validates the options, naming fea_run and the field.
  return slurm(options);
}
