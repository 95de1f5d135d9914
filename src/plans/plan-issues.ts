// Problems of a plan, each with the field it concerns, what is wrong and what is allowed, in words
// a model can act on ("variables.height_m.max: 0.5 exceeds the study's bound 0.2"); and the error
// that carries them.
import type { z } from 'zod';
import { UsageError } from '../errors.js';

/** One problem of a plan. */
export interface PlanIssue {
  /** The field: `variables.height_m.max`, `checkpoints[0].after`, or `` for the whole plan. */
  readonly path: string;
  readonly message: string;
}

/** A zod issue path as a field path: `checkpoints[0].after`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** The issues of a failed zod parse. */
export function schemaIssues(error: z.ZodError): PlanIssue[] {
  return error.issues.map((issue) => ({ path: fieldPath(issue.path), message: issue.message }));
}

/** A plan that cannot be proposed as it is: every problem found, not only the first. */
export class PlanValidationError extends UsageError {
  readonly issues: readonly PlanIssue[];
  constructor(issues: readonly PlanIssue[]) {
    const lines = issues.map(
      (issue) => `${issue.path === '' ? 'plan' : issue.path}: ${issue.message}`,
    );
    super(
      `the plan is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`,
      {
        hint: 'strata plans schema prints the JSON Schema of a plan',
      },
    );
    this.issues = issues;
  }
}
