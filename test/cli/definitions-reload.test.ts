// `strata serve` and `strata daemon` reload definitions that change on disk, as a person editing
// them sees it: real processes (a supervisor and its worker), a definitions module in a directory
// of its own, an edit of an asset's code version that the API then shows (a new worker took over
// the port), an edit that does not load (the previous definitions keep being served, and the
// supervisor says so), a daemon that picks up a newly automated asset, and Ctrl-C or SIGTERM
// stopping every process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli, type CliProcess } from './cli-process.js';

const database = useTestDatabase();
let strata: CliProcess | undefined;
let fixtureDir: string | undefined;
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') console.error(strata?.stderr());
  strata?.child.kill('SIGKILL');
  if (fixtureDir !== undefined) await rm(fixtureDir, { recursive: true, force: true });
  strata = fixtureDir = undefined;
});

/**
 * Definitions of one asset with code version `version`, eager when `automated` (importing
 * 'strata' from inside the repo).
 */
function definitions(version: string, automated = false): string {
  const automation = automated ? ", automation: 'eager'" : '';
  return [
    "import { z } from 'zod';",
    "import { asset, defineAssets } from 'strata';",
    `const alpha = asset({ key: 'alpha', codeVersion: '${version}'${automation}, schema: z.number(), compute: () => 1 });`,
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

/** A directory of its own under the repository (so that 'strata' resolves), with index.ts. */
async function definitionsFile(content: string): Promise<string> {
  fixtureDir = await mkdtemp(path.join(REPO_ROOT, 'test/fixtures/.tmp-reload-'));
  const file = path.join(fixtureDir, 'index.ts');
  await writeFile(file, content);
  return file;
}

describe('strata daemon and changed definitions', () => {
  it('reloads them, and stops every process on SIGTERM', { timeout: 60_000 }, async () => {
    const file = await definitionsFile(definitions('1'));
    strata = startCli(['daemon', '--interval', '1h'], {
      databaseUrl: database.url,
      definitions: file,
    });
    await strata.stdoutMatch(
      /^strata daemon \S+: 0 automated asset\(s\) and 0 source asset\(s\) of 1; Ctrl-C to stop$/m,
    );
    await writeFile(file, definitions('1', true));
    await strata.stdoutMatch(
      /^strata daemon \S+: definitions changed \(index\.ts\): reloaded, 1 automated asset\(s\) of 1$/m,
    );
    strata.child.kill('SIGTERM');
    const result = await strata.done;
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('strata serve and changed definitions', () => {
  it(
    'reloads an edit, keeps serving through one that does not load, and stops on Ctrl-C',
    { timeout: 60_000 },
    async () => {
      const file = await definitionsFile(definitions('1'));
      strata = startCli(['serve', '--port', '0', '--json', '--no-ui', '--no-automation'], {
        databaseUrl: database.url,
        definitions: file,
      });
      const url = (JSON.parse((await strata.stdoutMatch(/^\{.*\}$/m))[0]) as { url: string }).url;
      expect(await codeVersion(url)).toBe('1');

      await writeFile(file, definitions('2'));
      const reloaded = JSON.parse((await strata.stdoutMatch(/^\{"reloaded".*\}$/m))[0]) as {
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
      await strata.stderrMatch(
        /the changed definitions \(index\.ts\) did not load \(exit 1\); still running with the previous ones/,
      );
      expect(await codeVersion(url)).toBe('2');

      strata.child.kill('SIGINT');
      const result = await strata.done;
      expect(result.code, result.stderr).toBe(0);
      await expect(codeVersion(url)).rejects.toThrow(/ECONNREFUSED/);
    },
  );
});
