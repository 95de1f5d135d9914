// A caller of the CalculiX job adapter in a process of its own, for the idempotency test to kill
// mid-solve (test/assets/cae-idempotency.test.ts): submits the grid deck under a key, waits with
// heartbeats, fetches, and reports each stage as a JSON line on stdout.
// Usage: node --import tsx cae-submit-child.ts ROOT KEY NX NY
import { CcxJobs, fetchRun } from '../../assets/tools/cae/index.js';
import { gridDeck } from './cae-fixtures.js';

const [root = '', key = '', nx = '0', ny = '0'] = process.argv.slice(2);
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const jobs = new CcxJobs(root);
const submitted = await jobs.submit(key, gridDeck(Number(nx), Number(ny)));
say({ event: 'submitted', ...submitted, pid: process.pid });
const { exitCode } = await jobs.wait(submitted.runId, {
  heartbeatMs: 200,
  onHeartbeat: (beat) => say({ event: 'heartbeat', ...beat }),
});
const result = await fetchRun(jobs, submitted.runId);
let maxDisplacementMm = 0;
for (const u of result.displacements.values()) {
  maxDisplacementMm = Math.max(maxDisplacementMm, Math.hypot(...u));
}
say({ event: 'fetched', runId: result.runId, exitCode, maxDisplacementMm });
