// Human output of `strata provenance`: the fields of one materialization as an aligned list,
// then its inputs, tool calls (each with its arguments) and artifacts as tables.
import { formatAssetPartition } from '../../graph/index.js';
import type { Provenance } from '../../provenance/index.js';
import type { Colors } from './colors.js';
import { planLines } from './plan-approvals.js';
import { formatBytes } from './byte-size.js';
import { renderTable } from './table.js';
import { toolCallArgumentLines } from './tool-call-arguments.js';
import { formatDuration, formatTimestamp, relativeTime } from './time.js';

/** Characters of an inline value shown without --verbose. */
const VALUE_PREVIEW = 200;

/** The lines of `strata provenance`. */
export function renderProvenance(
  p: Provenance,
  colors: Colors,
  now: Date,
  verbose: boolean,
): string[] {
  const name = formatAssetPartition(p.assetKey, p.partitionKey ?? '');
  const none = colors.dim('-');
  const run =
    p.runId === null
      ? none
      : `${p.runId}${p.stepId === null ? '' : ` (step ${p.stepId}${p.attempt === null ? '' : `, attempt ${p.attempt}`})`}`;
  const fields: [string, string][] = [
    ['run', run],
    ['code version', p.codeVersion],
    ['data version', p.dataVersion],
    ['input hash', p.inputHash],
    ['reused from', p.reusedFrom === null ? none : `#${p.reusedFrom}`],
    ['started', p.startedAt === null ? none : formatTimestamp(p.startedAt)],
    ['finished', `${formatTimestamp(p.finishedAt)} (${relativeTime(p.finishedAt, now)})`],
    ['duration', p.durationMs === null ? none : formatDuration(p.durationMs)],
    ['host', p.host ?? none],
    ['worker', p.workerId ?? none],
    ...(p.slurm === null ? [] : [['slurm job', slurmText(p.slurm)] as [string, string]]),
    ['git commit', p.gitCommit ?? none],
    ['value', valueText(p, verbose, none)],
  ];
  if (p.partitionKeys !== null) fields.push(['partitions', `${p.partitionKeys.length} produced`]);
  const metadata = Object.entries(p.metadata);
  if (metadata.length > 0) fields.push(['metadata', '']);
  for (const [key, value] of metadata) fields.push([`  ${key}`, JSON.stringify(value)]);
  const lines = [colors.bold(`Materialization #${p.materializationId}  ${name}`)];
  lines.push(
    ...renderTable(
      fields.map(([k, v]) => [colors.dim(k), v]),
      { indent: '  ' },
    ),
  );
  if (p.plan !== null)
    lines.push(
      '',
      colors.bold('Experiment plan'),
      ...planLines(p.plan, colors, now).map((line) => `  ${line}`),
    );
  lines.push('', colors.bold(`Inputs (${p.inputs.length})`));
  if (p.inputs.length === 0) lines.push(`  ${colors.dim('none')}`);
  lines.push(
    ...renderTable(
      p.inputs.map((input) => [
        input.inputName,
        formatAssetPartition(input.assetKey, input.partitionKey ?? ''),
        `#${input.materializationId}`,
        `${colors.dim('data')} ${input.dataVersion}`,
      ]),
      { indent: '  ' },
    ),
  );
  lines.push('', colors.bold(`Tool calls (${p.toolCalls.length})`));
  if (p.toolCalls.length === 0) lines.push(`  ${colors.dim('none')}`);
  const callRows = renderTable(
    p.toolCalls.map((c) => [
      `${c.server}.${c.tool}`,
      c.toolVersion === null ? '' : `v${c.toolVersion}`,
      `${colors.dim('args')} ${verbose ? c.argumentHash : c.argumentHash.slice(0, 12)}`,
      `${colors.dim('result')} ${c.resultId ?? '-'}`,
      formatDuration(c.durationMs),
    ]),
    { indent: '  ' },
  );
  p.toolCalls.forEach((call, i) =>
    lines.push(callRows[i]!, ...toolCallArgumentLines(call, colors, verbose, '    ')),
  );
  lines.push('', colors.bold(`Artifacts (${p.artifacts.length})`));
  if (p.artifacts.length === 0) lines.push(`  ${colors.dim('none')}`);
  lines.push(
    ...renderTable(
      p.artifacts.map((a) => [a.name, a.sha256, `${a.size} B`, a.contentType]),
      { indent: '  ' },
    ),
  );
  return lines;
}

function valueText(p: Provenance, verbose: boolean, none: string): string {
  if (p.valueArtifact !== null) return `artifact ${p.valueArtifact} (${p.valueSize} B)`;
  if (p.value === null || p.value === undefined) return none;
  const text = JSON.stringify(p.value);
  if (verbose || text.length <= VALUE_PREVIEW) return text;
  return `${text.slice(0, VALUE_PREVIEW)}... (${p.valueSize} B; --verbose or --json shows all)`;
}

/** `7 COMPLETED on node3 (fea), 12m 5s, CPU 11m 59s, max RSS 1.5 GiB`: what Slurm told of the job. */
function slurmText(job: NonNullable<Provenance['slurm']>): string {
  const parts = [job.jobId];
  if (job.state !== null) parts.push(job.state);
  if (job.nodes !== null)
    parts.push(`on ${job.nodes}${job.partition === null ? '' : ` (${job.partition})`}`);
  const accounting = [
    job.elapsedSeconds === null ? undefined : formatDuration(job.elapsedSeconds * 1000),
    job.cpuSeconds === null ? undefined : `CPU ${formatDuration(job.cpuSeconds * 1000)}`,
    job.maxRssBytes === null ? undefined : `max RSS ${formatBytes(job.maxRssBytes)}`,
  ].filter((part) => part !== undefined);
  return accounting.length === 0 ? parts.join(' ') : `${parts.join(' ')}, ${accounting.join(', ')}`;
}
