// OpenLineage from the built CLI, as real processes (run `npm run build` first): `strata
// materialize` with $STRATA_OPENLINEAGE_FILE appends the run's events as JSON lines; `strata
// lineage export --openlineage` writes the same events to stdout, a file (--output, --since)
// and a receiver (--url, the key from $STRATA_OPENLINEAGE_API_KEY, never printed); `strata
// lineage sinks` shows the file sink with nothing pending. Bad settings fail naming the
// variable, without echoing a credential.
import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/openlineage/index.js';
import { FIXTURE_ASSETS, runCli } from '../cli/cli-harness.js';
import { startCli } from '../cli/cli-process.js';
import { useTestDatabase } from '../support/database.js';
import { eventLines, expectLineageOrder } from './lineage-order.js';
import { expectValidEvents } from './spec-validator.js';
import { startReceiver, type TestReceiver } from './test-receiver.js';

const database = useTestDatabase();
const NAMESPACE = 'cli-test';
const API_KEY = 'ol-cli-key-51b0e2';
let dir: string;
let file: string;
let receiver: TestReceiver;

const parseLines = (text: string): RunEvent[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RunEvent);

async function strata(argv: readonly string[], env: Record<string, string> = {}) {
  const result = await startCli(argv, {
    databaseUrl: database.url,
    definitions: FIXTURE_ASSETS,
    env: { STRATA_OPENLINEAGE_NAMESPACE: NAMESPACE, ...env },
  }).done;
  expect(result.code, result.stderr).toBe(0);
  return result;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'strata-openlineage-'));
  file = path.join(dir, 'lineage.jsonl');
  receiver = await startReceiver();
});
afterAll(() => receiver.stop());

describe('OpenLineage from the CLI', () => {
  let delivered: RunEvent[] = [];

  it('materialize appends the run to $STRATA_OPENLINEAGE_FILE', async () => {
    await strata(['materialize'], { STRATA_OPENLINEAGE_FILE: file });
    delivered = parseLines(readFileSync(file, 'utf8'));
    expectValidEvents(delivered);
    expectLineageOrder(delivered);
    expect(eventLines(delivered).sort()).toEqual(
      [
        'strata.run START',
        'strata.run COMPLETE',
        'geometry START',
        'geometry COMPLETE',
        'sim/mesh START',
        'sim/mesh COMPLETE',
        'sim/mesh START',
        'sim/mesh COMPLETE',
        'summary START',
        'summary COMPLETE',
      ].sort(),
    );
    expect(delivered.every((e) => e.job.namespace === NAMESPACE)).toBe(true);
  });

  it('lineage sinks shows the file sink with nothing pending', async () => {
    const { stdout } = await strata(['lineage', 'sinks', '--json']);
    expect(JSON.parse(stdout)).toMatchObject([
      { sink: `file://${hostname()}${file}`, pendingEvents: 0 },
    ]);
  });

  it('lineage export --openlineage writes the same events to stdout and to a file', async () => {
    const { stdout, stderr } = await strata(['lineage', 'export', '--openlineage']);
    expect(parseLines(stdout)).toEqual(delivered);
    expect(stderr).toContain(`exported ${delivered.length} OpenLineage event(s) to stdout`);

    const output = path.join(dir, 'export.jsonl');
    await strata(['lineage', 'export', '--openlineage', '--since', '1h', '--output', output]);
    expect(parseLines(readFileSync(output, 'utf8'))).toEqual(delivered);
  });

  it('lineage export --openlineage --url POSTs them with the key, which is never printed', async () => {
    const result = await strata(['lineage', 'export', '--openlineage', '--url', receiver.url], {
      STRATA_OPENLINEAGE_API_KEY: API_KEY,
    });
    expect(receiver.events).toEqual(delivered);
    expect(receiver.authorizations.every((a) => a === `Bearer ${API_KEY}`)).toBe(true);
    expect(result.stdout + result.stderr).not.toContain(API_KEY);
  });

  it('refuses bad settings, naming the variable and hiding credentials', async () => {
    const run = (env: Record<string, string>) =>
      runCli(['materialize', '--definitions', FIXTURE_ASSETS], {
        databaseUrl: database.url,
        env,
      });
    const withCredentials = await run({
      STRATA_OPENLINEAGE_URL: 'https://ann:hunter2@lineage.example',
    });
    expect(withCredentials.code).not.toBe(0);
    expect(withCredentials.stderr).toContain('$STRATA_OPENLINEAGE_URL must not hold credentials');
    expect(withCredentials.stderr).not.toContain('hunter2');

    const ftp = await run({ STRATA_OPENLINEAGE_URL: 'ftp://lineage.example' });
    expect(ftp.stderr).toContain('$STRATA_OPENLINEAGE_URL must be an http:// or https:// URL');

    const keyAlone = await run({ STRATA_OPENLINEAGE_API_KEY: API_KEY });
    expect(keyAlone.stderr).toContain('$STRATA_OPENLINEAGE_API_KEY is set but no OpenLineage URL');
    expect(keyAlone.stderr).not.toContain(API_KEY);

    const namespace = await run({
      STRATA_OPENLINEAGE_FILE: path.join(dir, 'unused.jsonl'),
      STRATA_OPENLINEAGE_NAMESPACE: 'two words',
    });
    expect(namespace.stderr).toContain('$STRATA_OPENLINEAGE_NAMESPACE must be one word');
  });
});
