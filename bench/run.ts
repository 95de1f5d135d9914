// `npm run bench [-- NAME...] [--json] [--reps N]`: runs strata's benchmarks (all, or the named
// ones) against a dedicated PostgreSQL server, each with its baseline measured in the same run,
// and prints a table: ours, baseline, cost ratio, target, PASS/MISS. Not tests: numbers only.
import { parseArgs } from 'node:util';
import { automationBenchmark } from './automation.js';
import { backfillBenchmark } from './backfill.js';
import { caeStudyBenchmark } from './cae-study.js';
import { catalogBenchmark } from './catalog.js';
import { chainLoadBenchmark } from './chain-load.js';
import { chainBenchmark } from './chain.js';
import { cliBenchmark } from './cli.js';
import { layoutBenchmark } from './layout.js';
import { lineageBenchmark } from './lineage.js';
import { planningBenchmark } from './planning.js';
import { retentionBenchmark } from './retention.js';
import { throughputBenchmark } from './throughput.js';
import { timePartitionsBenchmark } from './time-partitions.js';
import { apiBenchmark, uiBenchmark } from './ui.js';
import { removeTempArtifacts } from './support/engine.js';
import { machineInfo, type MachineInfo } from './support/machine.js';
import { costRatio, verdict, type BenchResult, type Benchmark } from './support/result.js';
import { startBenchServer } from './support/server.js';
import { formatNumber, type Summary } from './support/stats.js';

const BENCHMARKS: readonly Benchmark[] = [
  chainBenchmark,
  chainLoadBenchmark,
  throughputBenchmark,
  planningBenchmark,
  lineageBenchmark,
  cliBenchmark,
  apiBenchmark,
  uiBenchmark,
  layoutBenchmark,
  catalogBenchmark,
  automationBenchmark,
  retentionBenchmark,
  timePartitionsBenchmark,
  backfillBenchmark,
  caeStudyBenchmark,
];

/** Repetitions of the cheap measurements unless --reps says otherwise. */
const DEFAULT_REPS = 5;

const USAGE = `usage: npm run bench [-- NAME...] [--json] [--reps N]
benchmarks: ${BENCHMARKS.map((b) => `${b.name} (${b.description})`).join('; ')}
DATABASE_URL selects an existing server (a fresh database per benchmark is created on it);
otherwise a dedicated embedded PostgreSQL server runs in a temporary directory.`;

function parse(argv: string[]): { names: string[]; json: boolean; reps: number } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      reps: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const known = new Set(BENCHMARKS.map((b) => b.name));
  const unknown = positionals.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}\n${USAGE}`);
  const reps = values.reps === undefined ? DEFAULT_REPS : Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a positive integer');
  return { names: positionals, json: values.json, reps };
}

function cell(summary: Summary, unit: string): string {
  const { median, min, max } = summary;
  const range = summary.samples.length > 1 ? ` [${formatNumber(min)}-${formatNumber(max)}]` : '';
  return `${formatNumber(median)} ${unit}${range}`;
}

/** The results as a fixed-width text table. */
function table(results: readonly BenchResult[]): string {
  const header = [
    'benchmark',
    'ours (median [min-max])',
    'baseline',
    'cost ratio',
    'target',
    'verdict',
  ];
  const rows = results.map((r) => [
    r.name,
    cell(r.ours.summary, r.unit),
    cell(r.baseline.summary, r.unit),
    `${formatNumber(costRatio(r))}x`,
    `${r.target.kind === 'max' ? '<=' : '>='} ${formatNumber(r.target.value)} ${r.unit}`,
    verdict(r).text,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function describeMachine(m: MachineInfo): string {
  const settings = Object.entries(m.postgresSettings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `machine: ${m.nproc} cores (${m.cpuModel}), ${m.ramGiB} GiB RAM, Node ${m.node}\npostgres (${m.database}): ${m.postgres}\n  ${settings}`;
}

async function main(): Promise<void> {
  const { names, json, reps } = parse(process.argv.slice(2));
  const selected =
    names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  const server = await startBenchServer();
  const results: BenchResult[] = [];
  const failures: string[] = [];
  let machine: MachineInfo | undefined;
  try {
    machine = machineInfo(server);
    if (!json) log(describeMachine(machine));
    for (const benchmark of selected) {
      log(`\n== ${benchmark.name}: ${benchmark.description}`);
      try {
        const result = await benchmark.run({ server, log, reps });
        results.push(result);
        if (!json) {
          const v = verdict(result);
          log(`${result.name}: ${result.metric}`);
          log(`  ours:     ${cell(result.ours.summary, result.unit)}  (${result.ours.label})`);
          log(
            `  baseline: ${cell(result.baseline.summary, result.unit)}  (${result.baseline.label})`,
          );
          log(
            `  cost ratio ${formatNumber(costRatio(result))}x; target ${result.target.kind === 'max' ? '<=' : '>='} ${result.target.value} ${result.unit}: ${v.text}`,
          );
          for (const detail of result.details) log(`  - ${detail}`);
        }
      } catch (error) {
        failures.push(
          `${benchmark.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        log(`${benchmark.name} FAILED: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await server.stop();
    await removeTempArtifacts();
  }
  if (json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
          machine,
          results: results.map((r) => ({ ...r, costRatio: costRatio(r), verdict: verdict(r) })),
          failures,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(`\n${table(results)}\n`);
    process.stdout.write(
      'cost ratio: how many times costlier than the baseline (time ours/baseline; rate baseline/ours)\n',
    );
    for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`);
  }
  if (failures.length > 0) process.exitCode = 1;
}

await main();
