// `slurm({...})`: the declaration that an asset's compute runs as a Slurm batch job instead of in
// the worker's process. slurm() only records what was written; asset() and defineAssets()
// validate it (normalizeExecutor) so that errors name the asset or pool and the field.
import { z } from 'zod';
import { DefinitionError } from '../errors.js';

/** The Slurm options as a user declares them: `executor: slurm({ partition: 'fea', cpus: 8 })`. */
export interface SlurmExecutorInput {
  /** The partition (or comma-separated partitions) to submit to; the cluster's default if unset. */
  readonly partition?: string;
  /** CPUs of the one task that runs the step (sbatch --cpus-per-task). */
  readonly cpus?: number;
  /** Memory of the job: Slurm's `4G`, `512M`, `2048` (MB) (sbatch --mem). */
  readonly memory?: string;
  /**
   * Time limit as Slurm writes it: minutes (`90`), `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM` or
   * `D-HH:MM:SS`. Past it Slurm ends the job with TIMEOUT and the attempt fails.
   */
  readonly time?: string | number;
  readonly account?: string;
  readonly qos?: string;
  /**
   * Further sbatch options in their long form, one per item: `['--constraint=avx512',
   * '--exclusive']`. Options strata sets itself (job name, output, environment, ...) are refused.
   */
  readonly extra?: readonly string[];
}

/** What slurm() returns: the declaration, validated where it is used. */
export interface SlurmExecutorDeclaration {
  readonly kind: 'slurm';
  readonly input: SlurmExecutorInput;
}

/** A validated Slurm executor. */
export interface SlurmExecutor {
  readonly kind: 'slurm';
  readonly partition: string | undefined;
  readonly cpus: number | undefined;
  readonly memory: string | undefined;
  /** The time limit in Slurm's own notation (sbatch --time). */
  readonly time: string | undefined;
  readonly account: string | undefined;
  readonly qos: string | undefined;
  readonly extra: readonly string[];
}

/** How an asset's compute runs; undefined (the default) runs it in the worker's process. */
export type ExecutorDefinition = SlurmExecutor;

/**
 * sbatch options strata sets itself (or that would detach the job from its attempt); `extra`
 * may not repeat them.
 */
export const RESERVED_SBATCH_OPTIONS: ReadonlySet<string> = new Set([
  '--array',
  '--chdir',
  '--error',
  '--export',
  '--export-file',
  '--get-user-env',
  '--hold',
  '--input',
  '--job-name',
  '--output',
  '--parsable',
  '--test-only',
  '--wait',
  '--wrap',
  '--partition',
  '--cpus-per-task',
  '--mem',
  '--time',
  '--account',
  '--qos',
]);

/** Slurm names of partitions, accounts and QOS: letters, digits, `_`, `.`, `-`. */
const NAME = /^[A-Za-z0-9_.-]+$/;
/** Slurm time limits: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
const TIME = /^(?:\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}(?::\d{1,2}){0,2})$/;
/** Slurm memory sizes: a whole number with an optional K, M, G or T suffix (default MB). */
const MEMORY = /^[1-9]\d*[KMGT]?$/;
/** One long sbatch option, `--name` or `--name=value`; a value has no line breaks or NULs. */
const EXTRA_OPTION = /^--([a-z][a-z0-9-]*)(?:=[^\n\r\0]*)?$/;

const inputSchema = z
  .object({
    partition: z
      .string()
      .refine((value) => value.split(',').every((part) => NAME.test(part)), {
        message: 'must be a partition name or comma-separated names (letters, digits, _ . -)',
      })
      .optional(),
    cpus: z
      .number()
      .int('must be a whole number of CPUs')
      .min(1, 'must be at least 1')
      .max(100_000, 'must be at most 100000')
      .optional(),
    memory: z.string().regex(MEMORY, 'must be a size such as 4G, 512M or 2048 (MB)').optional(),
    time: z
      .union([z.number().int().min(1), z.string()])
      .transform((value) => String(value).trim())
      .refine((value) => TIME.test(value) && !/^0+$/.test(value), {
        message: 'must be minutes (90), HH:MM:SS or D-HH:MM:SS',
      })
      .optional(),
    account: z.string().regex(NAME, 'must be letters, digits, _ . -').optional(),
    qos: z.string().regex(NAME, 'must be letters, digits, _ . -').optional(),
    extra: z
      .array(
        z
          .string()
          .regex(EXTRA_OPTION, 'must be a long sbatch option: --name or --name=value')
          .refine((option) => !RESERVED_SBATCH_OPTIONS.has(option.split('=')[0]!), {
            message: 'is set by strata or by a field of slurm(); it cannot be passed in extra',
          }),
      )
      .optional(),
  })
  .strict();

/**
 * Declares that an asset's compute runs as a Slurm batch job: the worker submits a job that runs
 * exactly that step attempt on a cluster node (which must reach the database and the artifact
 * store), records the job id on the attempt and frees its slot. Use it as an asset's
 * `executor`, or as the default of a pool in defineAssets({ poolExecutors }).
 *
 * @example
 * ```ts
 * const solve = asset({
 *   key: 'fea_solution',
 *   executor: slurm({ partition: 'fea', cpus: 16, memory: '64G', time: '4:00:00' }),
 *   schema: z.object({ maxStressMpa: z.number() }),
 *   compute: async (ctx) => runSolver(ctx),
 * });
 * ```
 */
export function slurm(input: SlurmExecutorInput = {}): SlurmExecutorDeclaration {
  return { kind: 'slurm', input };
}

/**
 * Validates an executor declaration; `where` names its owner in errors (`asset fea: executor`).
 * undefined stays undefined (the in-process default).
 */
export function normalizeExecutor(
  declaration: unknown,
  where: string,
): ExecutorDefinition | undefined {
  if (declaration === undefined) return undefined;
  if (
    typeof declaration !== 'object' ||
    declaration === null ||
    (declaration as { kind?: unknown }).kind !== 'slurm' ||
    !('input' in declaration)
  ) {
    throw new DefinitionError(`${where}: declare it with slurm({ partition, cpus, ... })`);
  }
  const parsed = inputSchema.safeParse((declaration as SlurmExecutorDeclaration).input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length === 0 ? '' : `.${issue.path.join('.')}`;
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown option ${issue.keys.map((key) => JSON.stringify(key)).join(', ')} (partition, cpus, memory, time, account, qos, extra)`
        : issue.message;
    throw new DefinitionError(`${where}${field}: ${message}`);
  }
  const value = parsed.data;
  return {
    kind: 'slurm',
    partition: value.partition,
    cpus: value.cpus,
    memory: value.memory,
    time: value.time,
    account: value.account,
    qos: value.qos,
    extra: [...(value.extra ?? [])],
  };
}
