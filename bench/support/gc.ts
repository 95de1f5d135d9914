// Garbage collections of this process (perf_hooks 'gc' entries), to tell how much of a measured
// interval they take.
import { constants, PerformanceObserver } from 'node:perf_hooks';

/** Records garbage collections; between() sums those within an interval (performance.now()). */
export function observeGc() {
  const collections: { start: number; end: number; major: boolean }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind } = (entry as { detail?: { kind?: number } }).detail ?? {};
      const major = kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      collections.push({ start: entry.startTime, end: entry.startTime + entry.duration, major });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    /** Milliseconds of all and of major collections from `start` to `end`. */
    async between(start: number, end: number): Promise<{ all: number; major: number }> {
      await new Promise((resolve) => setImmediate(resolve)); // entries arrive asynchronously
      const within = collections.filter((c) => c.start >= start && c.end <= end);
      const sum = (cs: typeof within) => cs.reduce((total, c) => total + c.end - c.start, 0);
      return { all: sum(within), major: sum(within.filter((c) => c.major)) };
    },
    stop: () => observer.disconnect(),
  };
}
