// Human output of `strata lineage`: an indented tree of materializations from the start, each
// shown once; a materialization reached again is referenced ("see above") instead of repeated.
import { formatAssetPartition } from '../../graph/index.js';
import type { Lineage, LineageNode } from '../../provenance/index.js';
import type { Colors } from './colors.js';
import { planLines } from './plan-approvals.js';
import { relativeTime } from './time.js';

/** Characters of data versions shown: enough to tell versions apart at a glance. */
const SHORT_VERSION = 8;

/** The lines of `strata lineage`. */
export function renderLineage(lineage: Lineage, colors: Colors, now: Date): string[] {
  const nodes = new Map(lineage.nodes.map((node) => [node.materializationId, node]));
  const children = new Map<number, { id: number; inputName: string }[]>();
  for (const edge of lineage.edges) {
    const [parent, child] =
      lineage.direction === 'upstream' ? [edge.to, edge.from] : [edge.from, edge.to];
    const list = children.get(parent) ?? [];
    list.push({ id: child, inputName: edge.inputName });
    children.set(parent, list);
  }
  const byName = (a: { id: number }, b: { id: number }): number => {
    const x = nodes.get(a.id)!;
    const y = nodes.get(b.id)!;
    return nodeName(x) < nodeName(y) ? -1 : nodeName(x) > nodeName(y) ? 1 : a.id - b.id;
  };
  const printed = new Set<number>();
  const lines: string[] = [];
  const visit = (id: number, prefix: string, connector: string, childPrefix: string): void => {
    const node = nodes.get(id);
    if (node === undefined) return;
    if (printed.has(id)) {
      lines.push(`${prefix}${connector}${colors.dim(`#${id} ${nodeName(node)} (see above)`)}`);
      return;
    }
    printed.add(id);
    lines.push(`${prefix}${connector}${nodeLine(node, colors, now)}`);
    const next = (children.get(id) ?? []).filter((c) => nodes.has(c.id)).sort(byName);
    next.forEach((child, i) => {
      const last = i === next.length - 1;
      visit(child.id, prefix + childPrefix, last ? '└─ ' : '├─ ', last ? '   ' : '│  ');
    });
  };
  visit(lineage.root, '', '', '');
  const others = lineage.nodes.length - 1;
  const limit = lineage.depth === null ? '' : ` within depth ${lineage.depth}`;
  const what = lineage.direction === 'upstream' ? 'upstream' : 'downstream';
  lines.push(
    '',
    colors.dim(`${others} materialization${others === 1 ? '' : 's'} ${what}${limit}.`),
  );
  if (lineage.plans.length > 0) lines.push('', colors.bold('Made under experiment plans'));
  for (const plan of lineage.plans)
    lines.push(...planLines(plan, colors, now, plan.runIds).map((line) => `  ${line}`));
  return lines;
}

function nodeName(node: LineageNode): string {
  return formatAssetPartition(node.assetKey, node.partitionKey ?? '');
}

/** `#123 mesh[d03]  data 1a2b3c4d  run 7  2m ago`. */
export function nodeLine(node: LineageNode, colors: Colors, now: Date): string {
  const run = node.runId === null ? '' : `  run ${node.runId}`;
  return `${colors.bold(`#${node.materializationId}`)} ${nodeName(node)}  ${colors.dim('data')} ${node.dataVersion.slice(0, SHORT_VERSION)}${run}  ${colors.dim(relativeTime(node.materializedAt, now))}`;
}
