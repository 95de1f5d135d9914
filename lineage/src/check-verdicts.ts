// The verdicts of asset checks summed up (docs/semantics.md, "Asset checks"): one check's verdict
// (passed, a warning, a failure, a blocking failure), a partition's worst, their marks and their
// words. No DOM: components/check-results.ts draws them.
import type { CheckResult } from './api/types.js';

/** A check's verdict: passed, a warning, a failure, a blocking failure. */
export type CheckVerdict = 'passed' | 'warn' | 'failed' | 'blocking';

/** The worst verdict of `checks`; null when none judged it. */
export function worstVerdict(checks: readonly CheckResult[]): CheckVerdict | null {
  if (checks.length === 0) return null;
  let worst: CheckVerdict = 'passed';
  for (const check of checks) {
    const verdict = verdictOf(check);
    if (VERDICT_RANK[verdict] > VERDICT_RANK[worst]) worst = verdict;
  }
  return worst;
}

const VERDICT_RANK: Readonly<Record<CheckVerdict, number>> = {
  passed: 0,
  warn: 1,
  failed: 2,
  blocking: 3,
};

/** The verdict of one check. */
export function verdictOf(
  check: Pick<CheckResult, 'passed' | 'blocking' | 'severity'>,
): CheckVerdict {
  if (check.passed) return 'passed';
  if (check.blocking) return 'blocking';
  return check.severity === 'warn' ? 'warn' : 'failed';
}

export const MARKS: Readonly<Record<CheckVerdict, string>> = {
  passed: '✓',
  warn: '!',
  failed: '✗',
  blocking: '⊘',
};

export const WORDS: Readonly<Record<CheckVerdict, string>> = {
  passed: 'passed',
  warn: 'warned',
  failed: 'failed',
  blocking: 'failed (blocking)',
};

/** "2 checks passed", "1 of 2 checks failed (blocking)": the verdicts in words. */
export function verdictsInWords(checks: readonly CheckResult[]): string {
  const worst = worstVerdict(checks);
  if (worst === null) return 'no check verdict';
  const n = checks.length;
  if (worst === 'passed') return `${n === 1 ? 'its check' : `${n} checks`} passed`;
  const bad = checks.filter((check) => verdictOf(check) === worst).length;
  return `${bad} of ${n} check${n === 1 ? '' : 's'} ${WORDS[worst]}`;
}
