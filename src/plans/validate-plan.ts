// Reading and checking an experiment plan: the document against its schema, then against the
// definitions (the pipeline is a selection of existing assets; checkpoints pause something of
// it) and the study's space (bounds within the study's, known variables and levels, the DOE
// within the plan's own limits). Every problem is reported, each with its field.
import type { AssetKey } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { resolveSelection, SelectionError } from '../graph/index.js';
import { canonicalJson, sha256Hex } from '../util/canonical-json.js';
import { didYouMean } from '../util/closest.js';
import { PlanValidationError, schemaIssues, type PlanIssue } from './plan-issues.js';
import { ExperimentPlanSchema, type ExperimentPlan } from './plan-schema.js';
import { designPointKey } from './design-points.js';
import type { StudySpace } from './study-space.js';

/** The id of a plan: `plan-` and the first 16 hex digits of the sha256 of its canonical JSON. */
export function experimentPlanId(plan: ExperimentPlan): string {
  return `plan-${sha256Hex(canonicalJson(plan)).slice(0, 16)}`;
}

/** Parses a plan (JSON text or a value); throws PlanValidationError listing every problem. */
export function parseExperimentPlan(input: unknown): ExperimentPlan {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (error) {
      throw new PlanValidationError([
        { path: '', message: `not valid JSON: ${(error as Error).message}` },
      ]);
    }
  }
  const parsed = ExperimentPlanSchema.safeParse(value);
  if (!parsed.success) throw new PlanValidationError(schemaIssues(parsed.error));
  return parsed.data;
}

/**
 * The problems of a parsed plan against the definitions of `graph` and the study they declare
 * (empty when none).
 */
export function planIssues(plan: ExperimentPlan, graph: AssetGraph): PlanIssue[] {
  const study = graph.definitions.studies.get(plan.study);
  if (study === undefined) {
    const declared = [...graph.definitions.studies.keys()];
    return [
      {
        path: 'study',
        message: `the definitions declare no study ${JSON.stringify(plan.study)} (${didYouMean(plan.study, declared) ?? (declared.length === 0 ? 'they declare none: study() in the definitions' : `they declare ${declared.join(', ')}`)})`,
      },
    ];
  }
  return [
    ...variableIssues(plan, study),
    ...levelIssues(plan, study),
    ...doeIssues(plan, study),
    ...pipelineIssues(plan, graph, study.assets),
  ];
}

/** Parses `input` and checks it; throws PlanValidationError with every problem found. */
export function validateExperimentPlan(input: unknown, graph: AssetGraph): ExperimentPlan {
  const plan = parseExperimentPlan(input);
  const issues = planIssues(plan, graph);
  if (issues.length > 0) throw new PlanValidationError(issues);
  return plan;
}

function unknownName(kind: string, name: string, known: Iterable<string>): string {
  const names = [...known];
  return `the study has no ${kind} ${JSON.stringify(name)} (${didYouMean(name, names) ?? `it has ${names.join(', ') || 'none'}`})`;
}

function variableIssues(plan: ExperimentPlan, space: StudySpace): PlanIssue[] {
  const issues: PlanIssue[] = [];
  for (const [name, bounds] of Object.entries(plan.variables)) {
    const allowed = space.variables[name];
    if (allowed === undefined) {
      issues.push({
        path: `variables.${name}`,
        message: unknownName('continuous variable', name, Object.keys(space.variables)),
      });
      continue;
    }
    if (bounds.min < allowed.min)
      issues.push({
        path: `variables.${name}.min`,
        message: `${bounds.min} is below the study's bound ${allowed.min}`,
      });
    if (bounds.max > allowed.max)
      issues.push({
        path: `variables.${name}.max`,
        message: `${bounds.max} exceeds the study's bound ${allowed.max}`,
      });
  }
  return issues;
}

function levelIssues(plan: ExperimentPlan, space: StudySpace): PlanIssue[] {
  const issues: PlanIssue[] = [];
  for (const [name, levels] of Object.entries(plan.levels)) {
    const allowed = space.levels[name];
    if (allowed === undefined) {
      issues.push({
        path: `levels.${name}`,
        message: unknownName('categorical variable', name, Object.keys(space.levels)),
      });
      continue;
    }
    levels.forEach((level, index) => {
      if (!allowed.includes(level))
        issues.push({
          path: `levels.${name}[${index}]`,
          message: `${JSON.stringify(level)} is not a level of the study's ${name} (${allowed.join(', ')})`,
        });
    });
    if (new Set(levels).size !== levels.length)
      issues.push({ path: `levels.${name}`, message: 'a level is listed twice' });
  }
  return issues;
}

/** The bounds a plan's points must lie in: the plan's where given, else the study's. */
function boundsOf(plan: ExperimentPlan, space: StudySpace, name: string) {
  return plan.variables[name] ?? space.variables[name];
}

function doeIssues(plan: ExperimentPlan, space: StudySpace): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const { doe } = plan;
  const max = plan.limits.maxDesignPoints;
  const tooMany = (count: number, path: string): void => {
    if (max !== undefined && count > max)
      issues.push({
        path,
        message: `${count} design points exceed the plan's limits.maxDesignPoints ${max}`,
      });
  };
  if (doe.kind === 'latin_hypercube') tooMany(doe.samples, 'doe.samples');
  if (doe.kind === 'full_factorial') {
    for (const name of Object.keys(doe.levels))
      if (space.variables[name] === undefined)
        issues.push({
          path: `doe.levels.${name}`,
          message: unknownName('continuous variable', name, Object.keys(space.variables)),
        });
    const categorical = Object.keys(space.levels).map(
      (name) => (plan.levels[name] ?? space.levels[name]!).length,
    );
    const count = [...Object.values(doe.levels), ...categorical].reduce((a, b) => a * b, 1);
    tooMany(count, 'doe.levels');
  }
  if (doe.kind === 'points') {
    tooMany(doe.points.length, 'doe.points');
    const firstIndexOf = new Map<string, number>();
    doe.points.forEach((point, index) => {
      const path = `doe.points[${index}]`;
      const key = designPointKey(point);
      const first = firstIndexOf.get(key);
      if (first === undefined) firstIndexOf.set(key, index);
      else issues.push({ path, message: `repeats doe.points[${first}]` });
      for (const name of Object.keys(space.variables)) {
        const value = point[name];
        const bounds = boundsOf(plan, space, name)!;
        if (typeof value !== 'number')
          issues.push({
            path: `${path}.${name}`,
            message: `a number from ${bounds.min} to ${bounds.max} is required`,
          });
        else if (value < bounds.min || value > bounds.max)
          issues.push({
            path: `${path}.${name}`,
            message: `${value} is outside ${bounds.min}..${bounds.max}`,
          });
      }
      for (const name of Object.keys(space.levels)) {
        const levels = plan.levels[name] ?? space.levels[name]!;
        if (typeof point[name] !== 'string' || !levels.includes(point[name]))
          issues.push({
            path: `${path}.${name}`,
            message: `one of ${levels.join(', ')} is required`,
          });
      }
      for (const name of Object.keys(point))
        if (space.variables[name] === undefined && space.levels[name] === undefined)
          issues.push({
            path: `${path}.${name}`,
            message: unknownName('variable', name, [
              ...Object.keys(space.variables),
              ...Object.keys(space.levels),
            ]),
          });
    });
  }
  return issues;
}

function pipelineIssues(
  plan: ExperimentPlan,
  graph: AssetGraph,
  studyAssets: readonly string[],
): PlanIssue[] {
  let keys: readonly AssetKey[];
  try {
    keys = resolveSelection(graph, plan.pipeline).keys;
  } catch (error) {
    if (!(error instanceof SelectionError)) throw error;
    const hint = error.hint === undefined ? '' : ` (${error.hint})`;
    return [{ path: 'pipeline', message: `${error.message}${hint}` }];
  }
  const selected = new Set<AssetKey>(keys);
  const issues: PlanIssue[] = [];
  // The study's assets, and what they read (sources and inputs the plan does not vary).
  const inStudy = graph.withUpstream(studyAssets.filter((key) => graph.has(key)));
  const outside = keys.filter((key) => !inStudy.has(key));
  if (outside.length > 0)
    issues.push({
      path: 'pipeline',
      message: `selects ${outside.join(', ')}, which the study ${plan.study} neither includes nor reads (it includes ${studyAssets.join(', ')})`,
    });
  plan.checkpoints.forEach((checkpoint, index) => {
    const path = `checkpoints[${index}].after`;
    const key = checkpoint.after;
    if (!graph.has(key) || !selected.has(key)) {
      issues.push({
        path,
        message: `${JSON.stringify(checkpoint.after)} is not in the pipeline (${didYouMean(checkpoint.after, keys) ?? `it selects ${keys.join(', ')}`})`,
      });
      return;
    }
    const after = [...graph.downstream(checkpoint.after as never)].filter((key) =>
      selected.has(key),
    );
    if (after.length === 0)
      issues.push({
        path,
        message: `nothing of the pipeline comes after ${checkpoint.after}: the checkpoint would pause nothing`,
      });
  });
  return issues;
}
