// `strata mcp` over stdio notices definitions that change on disk: a real MCP client (the SDK's)
// keeps one session while the definitions gain an asset (the next answer lists it), then change
// to something that does not load (the session goes on with the previous ones, and stderr says
// so); closing the session ends every process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT } from './cli-harness.js';

const database = useTestDatabase();
let client: Client | undefined;
let fixtureDir: string | undefined;
afterEach(async () => {
  await client?.close();
  if (fixtureDir !== undefined) await rm(fixtureDir, { recursive: true, force: true });
  client = fixtureDir = undefined;
});

/** Definitions with the given asset keys (importing 'strata' from inside the repository). */
function definitions(keys: readonly string[]): string {
  return [
    "import { z } from 'zod';",
    "import { asset, defineAssets } from 'strata';",
    ...keys.map(
      (key) =>
        `const ${key} = asset({ key: '${key}', codeVersion: '1', schema: z.number(), compute: () => 1 });`,
    ),
    `export default defineAssets([${keys.join(', ')}]);`,
    '',
  ].join('\n');
}

/** Resolves once `pattern` appears in what `stream` wrote. */
function written(stream: Readable, pattern: RegExp): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        stream.off('data', onData);
        resolve(match[0]);
      }
    };
    stream.on('data', onData);
  });
}

async function assetKeys(): Promise<string[]> {
  const result = await client!.callTool({ name: 'list_assets', arguments: {} });
  return (result.structuredContent as { assets: { key: string }[] }).assets.map((a) => a.key);
}

describe('strata mcp', () => {
  it(
    'reloads changed definitions within one session, and keeps serving through a broken edit',
    { timeout: 60_000 },
    async () => {
      fixtureDir = await mkdtemp(path.join(REPO_ROOT, 'test/fixtures/.tmp-mcp-reload-'));
      const file = path.join(fixtureDir, 'index.ts');
      await writeFile(file, definitions(['alpha']));
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [path.join(REPO_ROOT, 'bin/strata.js'), 'mcp', '--definitions', file],
        env: { ...(process.env as Record<string, string>), DATABASE_URL: database.url },
        stderr: 'pipe',
      });
      client = new Client({ name: 'reload-test', version: '1.0.0' });
      await client.connect(transport);
      const stderr = transport.stderr as Readable;
      expect(await assetKeys()).toEqual(['alpha']);

      const reloaded = written(stderr, /strata mcp: reloaded the definitions \(index\.ts\)/);
      await writeFile(file, definitions(['alpha', 'beta']));
      await reloaded;
      expect(await assetKeys()).toEqual(['alpha', 'beta']);

      const refused = written(
        stderr,
        /the changed definitions \(index\.ts\) did not load .*; still serving the previous ones/,
      );
      await writeFile(file, 'export default 42;\n');
      await refused;
      expect(await assetKeys()).toEqual(['alpha', 'beta']);
    },
  );
});
