// How `strata plans diff` shows what changed from one plan to another: a line per change
// (`~ variables.height_m.max: 0.12 -> 0.1`, `+ checkpoints[1]: {...}`, `- levels.material[1]:
// "steel"`), values as JSON, long ones cut short (--json prints them whole).
import type { PlanChange, PlanComparison } from '../../plans/index.js';
import type { Colors } from './colors.js';

/** Characters of a value shown before it is cut short. */
const MAX_VALUE_LENGTH = 100;

/** `value` as JSON, cut short with … past MAX_VALUE_LENGTH characters. */
function valueText(value: unknown): string {
  const characters = [...JSON.stringify(value)];
  return characters.length <= MAX_VALUE_LENGTH
    ? characters.join('')
    : `${characters.slice(0, MAX_VALUE_LENGTH - 1).join('')}…`;
}

/** One change as a line: `~ path: before -> after`, `+ path: after`, `- path: before`. */
export function planChangeLine(change: PlanChange, colors: Colors): string {
  switch (change.kind) {
    case 'changed':
      return `${colors.yellow('~')} ${change.path}: ${valueText(change.before)} -> ${valueText(change.after)}`;
    case 'added':
      return `${colors.green('+')} ${change.path}: ${valueText(change.after)}`;
    case 'removed':
      return `${colors.red('-')} ${change.path}: ${valueText(change.before)}`;
  }
}

/** `plan-a -> plan-b: N changes`, then a line per change. */
export function planDiffLines(comparison: PlanComparison, colors: Colors): string[] {
  const count = comparison.changes.length;
  return [
    colors.bold(
      `${comparison.a} -> ${comparison.b}: ${count === 0 ? 'no changes' : `${count} change${count === 1 ? '' : 's'}`}`,
    ),
    ...comparison.changes.map((change) => planChangeLine(change, colors)),
  ];
}
