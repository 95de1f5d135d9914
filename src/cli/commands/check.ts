// `strata check [SELECTION] [--check NAME]... [--partition P]...`: evaluates asset checks on the
// latest materializations now, outside any run (after a check was changed or added), records the
// verdicts and prints the failures and a summary. A passing verdict unblocks what reads the
// partition; a failing blocking one blocks it.
import type { CheckRunEvaluation } from '../../executor/index.js';
import { formatAssetPartition } from '../../graph/index.js';
import type { Command } from '../command.js';
import { executionSetup } from '../execution-setup.js';
import type { Colors } from '../render/colors.js';
import { PARTITION_OPTION } from './plan.js';

/** `strata check`. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'Evaluate asset checks on the latest materializations and record the verdicts',
  usage: ['strata check [SELECTION] [--check NAME]... [--partition P]... [options]'],
  details: [
    'Runs the checks of every asset in SELECTION (default: all that have checks) on the latest',
    "materialization of each partition, and records each verdict with the check's code version.",
    'Checks also run in every step that materializes their asset; run this after changing one.',
    'Exits 1 when a check with severity error fails (warnings do not).',
  ],
  options: {
    check: {
      type: 'string',
      multiple: true,
      valueName: 'NAME',
      description: 'only the checks with this name',
    },
    partition: PARTITION_OPTION,
  },
  positionals: { min: 0, max: 1, names: 'a SELECTION' },
  async run(context) {
    const { engine } = await executionSetup(context);
    const { runChecks } = await import('../../executor/index.js');
    const names = context.flags.strings('check');
    const partitions = context.flags.strings('partition');
    const interrupt = new AbortController();
    const onSignal = (): void => interrupt.abort();
    process.once('SIGINT', onSignal);
    const live = !context.json && context.io.stderr.isTTY === true;
    let shown = 0;
    try {
      const summary = await runChecks(engine, {
        ...(context.args[0] === undefined ? {} : { selection: context.args[0] }),
        ...(names.length === 0 ? {} : { checks: names }),
        ...(partitions.length === 0 ? {} : { partitions }),
        signal: interrupt.signal,
        onLog: (line) => context.note(line),
        onProgress: (done, total) => {
          // A live counter on a terminal, at most ~20 updates a run.
          if (!live || (done !== total && done - shown < Math.max(1, total / 20))) return;
          shown = done;
          context.io.stderr.write(`\rchecking ${done}/${total} partitions`);
          if (done === total) context.io.stderr.write('\n');
        },
      });
      const failing = summary.evaluations.filter((e) => !e.passed);
      if (context.json) context.printJson(summary);
      else
        context.print(
          ...renderChecks(summary.evaluations, summary.notMaterialized, context.colors),
        );
      if (summary.interrupted) {
        context.note('interrupted: the verdicts recorded so far count');
        return 130;
      }
      return failing.some((e) => e.severity === 'error') ? 1 : 0;
    } finally {
      process.off('SIGINT', onSignal);
    }
  },
};

/** Failures first (one line each), then the counts. */
function renderChecks(
  evaluations: readonly CheckRunEvaluation[],
  notMaterialized: readonly string[],
  colors: Colors,
): string[] {
  const lines: string[] = [];
  for (const e of evaluations.filter((e) => !e.passed)) {
    const where = `${formatAssetPartition(e.assetKey, e.partitionKey)} ${e.checkName}`;
    const outcome =
      e.severity === 'warn'
        ? colors.yellow('warned')
        : colors.red(e.blocking ? 'failed (blocking)' : 'failed');
    lines.push(`${where} ${outcome}${e.description === null ? '' : `: ${e.description}`}`);
  }
  const count = (pick: (e: CheckRunEvaluation) => boolean): number =>
    evaluations.filter(pick).length;
  const passed = count((e) => e.passed);
  const failed = count((e) => !e.passed && e.severity === 'error');
  const warned = count((e) => !e.passed && e.severity === 'warn');
  const partitions = new Set(evaluations.map((e) => `${e.assetKey}\u0000${e.partitionKey}`)).size;
  if (lines.length > 0) lines.push('');
  const parts = [
    failed > 0 ? colors.red(`${failed} failed`) : '',
    warned > 0 ? colors.yellow(`${warned} warned`) : '',
    `${passed} passed`,
  ].filter((p) => p !== '');
  lines.push(
    `${evaluations.length} verdict${evaluations.length === 1 ? '' : 's'} on ${partitions} partition${partitions === 1 ? '' : 's'}: ${parts.join(', ')}`,
  );
  if (notMaterialized.length > 0) {
    const n = notMaterialized.length;
    lines.push(
      colors.dim(
        `${n} partition${n === 1 ? ' has' : 's have'} no materialization to judge yet: ${notMaterialized.slice(0, 5).join(', ')}${n > 5 ? ', ...' : ''}`,
      ),
    );
  }
  return lines;
}
