// GET /api/graph: the asset graph in columns says what GET /api/assets says about every asset
// (keys, groups, layout, statuses, edges as index pairs); it carries an ETag and answers 304 to
// If-None-Match while nothing changed, a new document as soon as a run changed a status (never
// the cached statuses of before), and gzip to a client that accepts it.
import { gunzipSync } from 'node:zlib';
import type { AssetKey } from '../../src/definitions/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrataApp } from '../../src/server/index.js';
import { AssetGraphResponse } from '../../src/server/schemas/asset-schemas.js';
import { GraphColumnsResponse } from '../../src/server/schemas/graph-schemas.js';
import { matchesEtag } from '../../src/server/conditional-json.js';
import { StatusSnapshots } from '../../src/server/views/status-snapshot.js';
import { addDynamicPartitions, recordCheckEvaluations } from '../../src/provenance/index.js';
import { useTestDatabase } from '../support/database.js';
import { run, tempArtifacts } from '../support/engine.js';
import { bodyOf, getJson, testApp, testGraph } from './server-harness.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();
let app: StrataApp;

beforeAll(async () => {
  await run(database, testGraph(), { artifacts, selection: 'geometry' });
  app = testApp(database, testGraph(), artifacts);
});
afterAll(() => app.close());

describe('GET /api/graph', () => {
  it('gives every asset of GET /api/assets in columns, edges as index pairs', async () => {
    const columns = bodyOf(await getJson(app, '/api/graph'), GraphColumnsResponse);
    const graph = bodyOf(await getJson(app, '/api/assets'), AssetGraphResponse);
    expect(columns.keys).toEqual(graph.nodes.map((node) => node.key));
    graph.nodes.forEach((node, i) => {
      expect(columns.groupNames[columns.group[i]!]).toBe(node.group);
      expect([columns.layer[i], columns.row[i]]).toEqual([node.layout.layer, node.layout.row]);
      expect(columns.partitioned[i]).toBe(node.partitioned ? 1 : 0);
      expect(columns.source[i]).toBe(node.source === null ? 0 : 1);
      const s = node.status;
      expect(columns.stateNames[columns.state[i]!]).toBe(s.state);
      expect(columns.statusNames[columns.status[i]!]).toBe(s.status);
      expect(
        [columns.fresh, columns.stale, columns.missing, columns.running, columns.failed].map(
          (column) => column[i],
        ),
      ).toEqual([s.fresh, s.stale, s.missing, s.running, s.failed]);
      expect(columns.total[i]).toBe(s.total);
      const cause = columns.mainCause[i]!;
      expect(cause < 0 ? null : columns.causeNames[cause]).toBe(s.mainCause);
      const reason = columns.mainReason[i]!;
      expect(reason < 0 ? null : columns.reasons[reason]).toBe(s.mainReason);
    });
    expect(columns.state.map((code) => columns.stateNames[code])).toEqual([
      'fresh',
      'missing',
      'missing',
      'missing',
    ]);
    const pairs: string[] = [];
    for (let i = 0; i < columns.edges.length; i += 2)
      pairs.push(`${columns.keys[columns.edges[i]!]}>${columns.keys[columns.edges[i + 1]!]}`);
    expect(pairs).toEqual(
      graph.edges.filter((e) => e.kind === 'data').map((e) => `${e.from}>${e.to}`),
    );
    expect(columns.producerEdges).toEqual([]);
    expect(columns.totals).toEqual(graph.totals);
    expect(columns.layout).toEqual(graph.layout);
  });

  it('answers 304 to the ETag of an unchanged graph, and a new document after a run', async () => {
    const first = await getJson(app, '/api/graph');
    const etag = first.response.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.response.headers.get('cache-control')).toBe('no-cache');
    const again = await app.request('/api/graph', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    // A run changes statuses: the same ETag now gets the new document, not the cached one.
    await run(database, testGraph(), { artifacts, selection: 'sim/mesh' });
    const after = await app.request('/api/graph', { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const columns = GraphColumnsResponse.parse(await after.json());
    const mesh = columns.keys.indexOf('sim/mesh');
    expect(columns.stateNames[columns.state[mesh]!]).toBe('fresh');
    expect(columns.fresh[mesh]).toBe(2);
  });

  it('gzips for a client that accepts it: the same document', async () => {
    const plain = await app.request('/api/graph');
    const text = await plain.text();
    const zipped = await app.request('/api/graph', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(zipped.headers.get('etag')).toBe(plain.headers.get('etag'));
    expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
    // Small documents go as they are; a large one is gzipped (covered by the bench's 10,000).
    if (text.length < 16 * 1024) expect(zipped.headers.get('content-encoding')).toBeNull();
    else {
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(text);
    }
  });

  it('evaluates statuses again only after a write they depend on', async () => {
    const snapshots = new StatusSnapshots(database.db, testGraph());
    const first = await snapshots.report(new Date(1_000));
    const second = await snapshots.report(new Date(2_000));
    expect(snapshots.evaluations).toBe(1);
    expect(second.statuses).toBe(first.statuses);
    expect(second.evaluatedAt).toEqual(new Date(2_000));
    await addDynamicPartitions(database.db, 'unused_set', ['p1']);
    await snapshots.report(new Date(3_000));
    expect(snapshots.evaluations).toBe(2);
    await run(database, testGraph(), { artifacts, selection: 'summary' });
    const after = await snapshots.report(new Date(4_000));
    expect(snapshots.evaluations).toBe(3);
    expect(after.statuses.get('summary' as AssetKey)!.get('')!.status).toBe('fresh');
    // A verdict recorded on an existing materialization (strata check) changes statuses too.
    const latest = [...after.latest.get('summary')!.values()][0]!;
    await recordCheckEvaluations(database.db, [
      {
        materializationId: latest.materializationId,
        assetKey: 'summary',
        partitionKey: '',
        checkName: 'sane',
        checkVersion: '1',
        passed: true,
        severity: 'error',
        blocking: false,
        description: null,
        metadata: {},
        error: null,
        runId: null,
        stepId: null,
        evaluatedAt: new Date(),
        durationMs: 1,
      },
    ]);
    await snapshots.report(new Date(5_000));
    expect(snapshots.evaluations).toBe(4);
  });

  it('compares ETags as weak ones, in lists and as *', () => {
    expect(matchesEtag('W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEtag('"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEtag('W/"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEtag('*', 'W/"abc"')).toBe(true);
    expect(matchesEtag('W/"abd"', 'W/"abc"')).toBe(false);
    expect(matchesEtag(undefined, 'W/"abc"')).toBe(false);
  });
});
