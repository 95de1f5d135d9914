// Where a study's finite-element solve runs, by configuration: in the worker by default, or as a
// Slurm job when a variable holds slurm()'s options as JSON: $STRATA_FEA_SLURM for the cantilever
// study's fea_run, $STRATA_CAE_SLURM for the CAE study's plate/fea_run, e.g.
// STRATA_FEA_SLURM='{"partition":"fea","cpus":4,"memory":"8G","time":"30:00"}' (docs/slurm.md).
import { DefinitionError, slurm, type SlurmExecutorDeclaration } from 'strata';

/** The variable that sends the cantilever study's fea_run to Slurm. */
export const FEA_SLURM_ENV = 'STRATA_FEA_SLURM';

/** The variable that sends the CAE study's plate/fea_run (CalculiX) to Slurm. */
export const CAE_SLURM_ENV = 'STRATA_CAE_SLURM';

/**
 * A solve's executor as `env[variable]` configures it; undefined (unset or blank): the worker
 * computes it. Errors name the variable.
 */
export function feaExecutorOf(
  env: Readonly<Record<string, string | undefined>> = process.env,
  variable: string = FEA_SLURM_ENV,
): SlurmExecutorDeclaration | undefined {
  const text = env[variable];
  if (text === undefined || text.trim() === '') return undefined;
  let options: unknown;
  try {
    options = JSON.parse(text);
  } catch (error) {
    throw new DefinitionError(`${variable} is not JSON: ${(error as Error).message}`, {
      hint: `e.g. ${variable}='{"partition":"fea","time":"30:00"}'`,
    });
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new DefinitionError(`${variable} must be a JSON object of slurm() options`);
  // asset() validates the options, naming the asset and the field.
  return slurm(options);
}

/** asset()'s `executor` option as `env[variable]` configures it: `{}` runs it in the worker. */
export function executorOption(
  env: Readonly<Record<string, string | undefined>> | undefined,
  variable: string,
): { executor?: SlurmExecutorDeclaration } {
  const executor = feaExecutorOf(env, variable);
  return executor === undefined ? {} : { executor };
}
