// The example study with its CAD, mesher and FEA solver tool servers over Streamable HTTP: real
// processes started by the test as an operator would (`--http`, a bearer token), chosen by the
// study's configuration (STRATA_<NAME>_URL, STRATA_<NAME>_TOKEN) with no code change. The study
// materializes; each idempotency key's work is done once (the servers' own log), also when the
// solves are forced again; and provenance names the servers with their versions.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssetGraph } from '../../src/graph/index.js';
import { loadProvenance } from '../../src/provenance/index.js';
import { defineStudy } from '../../assets/study.js';
import { studyFileOf } from '../../assets/study-files.js';
import { EXAMPLE_TOOL_SERVERS, toolServerVariables } from '../../assets/tool-servers.js';
import { summaryOf } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { run, tempArtifacts } from '../support/engine.js';
import {
  startHttpToolServer,
  type HttpToolServerProcess,
} from '../support/http-tool-server-process.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
const TOKEN = 'kit-token-5d1e-never-recorded';
const SAMPLES = 4;
const servers = new Map<string, HttpToolServerProcess>();
const saved: Record<string, string | undefined> = {};

function setEnv(name: string, value: string): void {
  if (!(name in saved)) saved[name] = process.env[name];
  process.env[name] = value;
}

beforeAll(async () => {
  await Promise.all(
    EXAMPLE_TOOL_SERVERS.map(async (name) => {
      const script = new URL(`../../assets/tools/${name}-server.ts`, import.meta.url).pathname;
      servers.set(
        name,
        await startHttpToolServer(script, [], {
          STRATA_ARTIFACT_STORE: artifacts.root,
          STRATA_TOOL_TOKEN: TOKEN,
        }),
      );
    }),
  );
  for (const name of EXAMPLE_TOOL_SERVERS) {
    const variables = toolServerVariables(name);
    setEnv(variables.url, servers.get(name)!.url);
    setEnv(variables.token, TOKEN);
  }
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  await Promise.all([...servers.values()].map((server) => server.stop()));
});

function study() {
  const text = (file: string) =>
    readFileSync(new URL(`../../assets/${file}`, import.meta.url), 'utf8');
  return buildAssetGraph(
    defineStudy({
      designSpaceFile: studyFileOf(
        'assets/design-space.json',
        text('design-space.json').replace('"samples": 16', `"samples": ${SAMPLES}`),
      ),
      meshSettingsFile: studyFileOf('assets/mesh-settings.json', text('mesh-settings.json')),
    }),
  );
}

/** The idempotency keys of the calls to `server` in run `runId`. */
async function keysOf(runId: number, server: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('strata_internal.tool_calls')
    .select(['idempotency_key'])
    .where('run_id', '=', runId)
    .where('server', '=', server)
    .execute();
  return rows.map((row) => row.idempotency_key).sort();
}

/**
 * The keys a server's log says it `worked` (did the work of) or `answered` from its stored
 * answers: `<server>: <tool> <key> worked|answered <ms> ms`.
 */
function loggedKeys(name: string, how: 'worked' | 'answered'): string[] {
  const pattern = new RegExp(`^${name}: \\S+ ([0-9a-f]+) ${how} \\d+ ms$`);
  return servers
    .get(name)!
    .lines.map((line) => pattern.exec(line)?.[1])
    .filter((key): key is string => key !== undefined)
    .sort();
}

describe('the example study with its tool servers over HTTP', () => {
  it('materializes, each key worked once, with the servers named in provenance', async () => {
    const graph = study();
    for (const name of EXAMPLE_TOOL_SERVERS)
      expect(graph.definitions.tools.get(name)).toEqual({
        kind: 'mcp-http',
        url: servers.get(name)!.url,
        headers: {},
        bearerTokenEnv: toolServerVariables(name).token,
      });

    const first = summaryOf(await run(database, graph, { artifacts, concurrency: 4 }));
    expect(first.status).toBe('succeeded');
    for (const name of EXAMPLE_TOOL_SERVERS) {
      const keys = await keysOf(first.runId, name);
      expect(keys).toHaveLength(SAMPLES);
      expect(new Set(keys).size).toBe(SAMPLES);
      await servers
        .get(name)!
        .until(`${name} to log its calls`, () => loggedKeys(name, 'worked').length >= SAMPLES);
      expect(loggedKeys(name, 'worked')).toEqual(keys);
    }

    // Provenance of a solve names the server and its version; the step read the fields the
    // solver stored in the worker's store.
    const fea = await database.db
      .selectFrom('strata_internal.materializations')
      .select(['id', 'value'])
      .where('run_id', '=', first.runId)
      .where('asset_key', '=', 'fea_run')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const provenance = await loadProvenance(database.db, fea.id);
    expect(provenance.toolCalls).toMatchObject([
      { server: 'solver', tool: 'solve', toolVersion: '1.1.0' },
    ]);
    expect(provenance.toolCalls[0]!.resultId).toBe((fea.value as { runId: string }).runId);
    const fields = (fea.value as { fields: { artifact: string } }).fields.artifact;
    expect(provenance.artifacts.map((a) => `sha256:${a.sha256}`)).toContain(fields);

    // Forced again, the solves call with the same keys: the solver answers from what it stored.
    const again = summaryOf(
      await run(database, study(), { artifacts, selection: 'fea_run', force: true }),
    );
    expect(again.status).toBe('succeeded');
    const keys = await keysOf(again.runId, 'solver');
    expect(keys).toEqual(await keysOf(first.runId, 'solver'));
    await servers
      .get('solver')!
      .until(
        'the solver to log the forced calls',
        () => loggedKeys('solver', 'answered').length >= SAMPLES,
      );
    expect(loggedKeys('solver', 'answered')).toEqual(keys);
    expect(loggedKeys('solver', 'worked')).toEqual(keys);

    // The token was sent, and is in no server's log.
    for (const server of servers.values()) expect(server.lines.join('\n')).not.toContain(TOKEN);
  });
});
