// In-process CPU profiling (node:inspector) of one measured interval, summarized by self time
// per function and per package (pg, kysely, graphile-worker, strata's src/, Node internals,
// GC, idle), so a report can say where Node's time goes without opening DevTools.
// STRATA_CPU_PROFILE=FILE also saves the raw profile (open it in DevTools, or read its stacks).
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A running profiler; stop() returns the summary lines. */
export interface Profiler {
  stop(top?: number): Promise<string[]>;
}

function packageOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'program (native, not JS)';
  // The inspector session starting the profiler: grows with the heap, not the code profiled.
  if (name === 'dispatch' && url === '') return 'profiler start';
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1]!;
  if (url.includes('/src/')) return `strata src/${url.split('/src/')[1]!.split('/')[0]}`;
  if (url.includes('/bench/')) return 'bench';
  if (url.startsWith('node:') || url === '') return 'node internals';
  return url;
}

/** Starts sampling this process. */
export async function startProfiler(): Promise<Profiler> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(top = 15) {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
      session.disconnect();
      const out = process.env.STRATA_CPU_PROFILE;
      if (out) await writeFile(out, JSON.stringify(profile));
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const selfUs = new Map<number, number>();
      const samples = profile.samples ?? [];
      const deltas = profile.timeDeltas ?? [];
      samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0)));
      const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
      const byFunction = new Map<string, number>();
      const byPackage = new Map<string, number>();
      for (const [id, us] of selfUs) {
        const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
        const name = functionName || '(anonymous)';
        const pkg = packageOf(url, name);
        const where = url
          ? `${url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${lineNumber + 1}`
          : '';
        byFunction.set(
          `${name} ${where}`.trim(),
          (byFunction.get(`${name} ${where}`.trim()) ?? 0) + us,
        );
        byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
      }
      const pct = (us: number): string => `${((us / total) * 100).toFixed(1)}%`;
      const sorted = (m: Map<string, number>): [string, number][] =>
        [...m].sort((a, b) => b[1] - a[1]);
      return [
        `CPU profile over ${(total / 1000).toFixed(0)} ms: self time by package: ${sorted(byPackage)
          .slice(0, 12)
          .map(([k, us]) => `${k} ${pct(us)}`)
          .join(', ')}`,
        `top functions by self time: ${sorted(byFunction)
          .filter(([k]) => !k.startsWith('(idle)') && k !== 'dispatch')
          .slice(0, top)
          .map(([k, us]) => `${k} ${pct(us)}`)
          .join('; ')}`,
      ];
    },
  };
}
