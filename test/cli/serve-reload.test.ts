// `strata serve` reloads definitions that change on disk, as a person editing them sees it: a
// real server process (a supervisor and its worker), a definitions module in a directory of its
// own, an edit of an asset's code version that the API then shows (a new worker took over the
// port), an edit that does not load (the previous definitions keep being served, and the
// supervisor says so), and Ctrl-C stopping every process of it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli, type CliProcess } from './cli-process.js';

const database = useTestDatabase();
let serve: CliProcess | undefined;
let fixtureDir: string | undefined;
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') console.error(serve?.stderr());
  serve?.child.kill('SIGKILL');
  if (fixtureDir !== undefined) await rm(fixtureDir, { recursive: true, force: true });
  serve = fixtureDir = undefined;
});

/** Definitions of one asset with code version `version` (importing 'strata' from inside the repo). */
function definitions(version: string): string {
  return [
    "import { z } from 'zod';",
    "import { asset, defineAssets } from 'strata';",
    `const alpha = asset({ key: 'alpha', codeVersion: '${version}', schema: z.number(), compute: () => 1 });`,
    'export default defineAssets([alpha]);',
    '',
  ].join('\n');
}

/**
 * The code version the server has for alpha, asked on a connection of its own (a kept-alive
 * one may belong to a worker that a reload has since stopped).
 */
function codeVersion(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(`${url}/api/assets/alpha`, { agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve((JSON.parse(body) as { codeVersion: string }).codeVersion));
    }).on('error', reject);
  });
}

describe('strata serve and changed definitions', () => {
  it(
    'reloads an edit, keeps serving through one that does not load, and stops on Ctrl-C',
    { timeout: 60_000 },
    async () => {
      fixtureDir = await mkdtemp(path.join(REPO_ROOT, 'test/fixtures/.tmp-reload-'));
      const file = path.join(fixtureDir, 'index.ts');
      await writeFile(file, definitions('1'));
      serve = startCli(['serve', '--port', '0', '--json', '--no-ui', '--no-automation'], {
        databaseUrl: database.url,
        definitions: file,
      });
      const url = (JSON.parse((await serve.stdoutMatch(/^\{.*\}$/m))[0]) as { url: string }).url;
      expect(await codeVersion(url)).toBe('1');

      await writeFile(file, definitions('2'));
      const reloaded = JSON.parse((await serve.stdoutMatch(/^\{"reloaded".*\}$/m))[0]) as {
        reloaded: string[];
        assets: number;
      };
      expect(reloaded).toMatchObject({ reloaded: ['index.ts'], assets: 1 });
      // The previous worker answers until it has stopped listening, a moment after the new
      // one is ready; then only the new definitions are served.
      await waitFor('the new definitions to be served', async () =>
        (await codeVersion(url)) === '2' ? true : undefined,
      );

      await writeFile(file, `${definitions('3')}\nexport const broken = (;\n`);
      await serve.stderrMatch(
        /the changed definitions \(index\.ts\) did not load \(exit 1\); still serving the previous ones/,
      );
      expect(await codeVersion(url)).toBe('2');

      serve.child.kill('SIGINT');
      const result = await serve.done;
      expect(result.code, result.stderr).toBe(0);
      await expect(codeVersion(url)).rejects.toThrow(/ECONNREFUSED/);
    },
  );
});
