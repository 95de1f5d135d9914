// A study: what experiment plans may vary (docs/plans.md). Declared beside the assets with the
// bounds of its continuous variables, the levels of its categorical ones and the assets of its
// pipeline; a plan is checked against it (src/plans) and can never be wider.
import { z } from 'zod';
import { DefinitionError } from '../errors.js';

/** A declared study. */
export interface StudyDefinition {
  readonly kind: 'study';
  readonly key: string;
  readonly description: string | undefined;
  /** Bounds of each continuous variable (min < max). */
  readonly variables: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
  /** Levels of each categorical variable. */
  readonly levels: Readonly<Record<string, readonly string[]>>;
  /** The assets a plan of this study may select. */
  readonly assets: readonly string[];
  /**
   * The DOE asset, partitioned by a dynamic set: executing a plan adds the plan's id to the set
   * with the plan as the partition's payload (`planOf(ctx)`); undefined: plans of the study can
   * be proposed and reviewed but not executed.
   */
  readonly designs: string | undefined;
}

/** What study() takes. */
export interface StudySpec {
  /** Letters, digits, `_` and `-`: `bracket`. */
  readonly key: string;
  readonly description?: string;
  readonly variables: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
  readonly levels?: Readonly<Record<string, readonly string[]>>;
  /** The assets of its pipeline (keys, or the definitions), checked by defineAssets. */
  readonly assets: readonly (string | { readonly key: string })[];
  /** The DOE asset, one of `assets`, with dynamic partitions: one per executed plan. */
  readonly designs?: string | { readonly key: string };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const specSchema = z.strictObject({
  key: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and -'),
  description: z.string().optional(),
  variables: z
    .record(
      z.string().regex(NAME, 'a variable name: letters, digits and _'),
      z
        .strictObject({ min: z.number(), max: z.number() })
        .refine((b) => b.min < b.max, { message: 'min must be less than max', path: ['max'] }),
    )
    .refine((v) => Object.keys(v).length > 0, 'declare at least one variable'),
  levels: z
    .record(
      z.string().regex(NAME, 'a variable name: letters, digits and _'),
      z
        .array(z.string().min(1))
        .min(1)
        .refine((l) => new Set(l).size === l.length, 'a level is listed twice'),
    )
    .optional(),
  assets: z.array(z.union([z.string(), z.object({ key: z.string() })])).min(1),
  designs: z.union([z.string(), z.object({ key: z.string() })]).optional(),
});

/**
 * Declares a study for experiment plans; pass it to `defineAssets(assets, { studies: [...] })`.
 *
 * @example
 * const bracket = study({
 *   key: 'bracket',
 *   variables: { height_m: { min: 0.06, max: 0.2 } },
 *   levels: { material: ['steel', 'titanium'] },
 *   assets: [designs, mesh, feaRun, paretoFront],
 * });
 */
export function study(spec: StudySpec): StudyDefinition {
  const parsed = specSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    throw new DefinitionError(
      `study ${JSON.stringify((spec as { key?: unknown } | undefined)?.key ?? '?')}: ${issue.message}${where}`,
    );
  }
  const { key, description, variables, levels = {}, assets, designs } = parsed.data;
  for (const name of Object.keys(levels))
    if (Object.hasOwn(variables, name))
      throw new DefinitionError(
        `study ${key}: ${name} is declared both as a continuous variable and with levels`,
      );
  return {
    kind: 'study',
    key,
    description,
    variables,
    levels,
    assets: assets.map((a) => (typeof a === 'string' ? a : a.key)),
    designs: typeof designs === 'string' ? designs : designs?.key,
  };
}
