// The kit replays a stored answer only while the artifacts it references are stored: the example's
// mesher (a real process, over HTTP so its log says how each call was answered) answers a repeated
// key from its answer book, and does the work again once the mesh it stored was deleted from the
// store (as `strata artifacts gc` deletes what no materialization references).
import { mkdtempSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import type { ArtifactRef } from '../../src/definitions/index.js';
import { canonicalGeometry } from '../../assets/tools/fea/index.js';
import {
  startHttpToolServer,
  type HttpToolServerProcess,
} from '../support/http-tool-server-process.js';

const MESHER = fileURLToPath(new URL('../../assets/tools/mesher-server.ts', import.meta.url));
const KEY = '5e'.repeat(16);
let server: HttpToolServerProcess | undefined;
let client: Client | undefined;

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

describe('a stored answer', () => {
  it('is replayed while its artifacts are stored, and worked again once they are gone', async () => {
    const store = new LocalArtifactStore(
      path.join(mkdtempSync(path.join(tmpdir(), 'strata-replay-')), 'artifacts'),
    );
    const geometry = await store.put(
      JSON.stringify(canonicalGeometry({ lengthM: 1, heightM: 0.1, thicknessM: 0.02 })),
      { name: 'bracket.json', contentType: 'application/json' },
    );
    server = await startHttpToolServer(MESHER, [], { STRATA_ARTIFACT_STORE: store.root });
    client = new Client({ name: 'replay-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    const mesh = async () =>
      (
        await client!.callTool({
          name: 'mesh',
          arguments: { geometry, elements_through_height: 2, max_aspect_ratio: 2 },
          _meta: { 'strata/idempotencyKey': KEY },
        })
      ).structuredContent as { mesh: ArtifactRef };
    const how = async (calls: number) => {
      await server!.until(`${calls} calls logged`, (lines) => lines.length >= calls);
      return server!.lines.map((line) => line.split(' ')[3]);
    };

    const first = await mesh();
    expect(await mesh()).toEqual(first);
    expect(await how(2)).toEqual(['worked', 'answered']);

    const hex = first.mesh.artifact.slice('sha256:'.length);
    unlinkSync(path.join(store.root, 'sha256', hex.slice(0, 2), hex));
    expect(await store.has(first.mesh)).toBe(false);
    expect(await mesh()).toEqual(first);
    expect(await how(3)).toEqual(['worked', 'answered', 'worked']);
    expect(await store.has(first.mesh)).toBe(true);
  });
});
