// The CAE study reached over HTTP ($STRATA_CAE_URL) takes Gmsh's and CalculiX's versions from the
// `cae` server it uses, not from this machine: a real server process, started with a CalculiX of
// its own first on its PATH (one that says it is 2.99) and a bearer token, announces its
// programs' versions in its MCP handshake; the study's code versions then carry the server's
// ccx, not the installed one. A wrong token, or no server, fails the load with an error naming
// the URL and the variable (never the token). Every tool call records the announcement
// (tool_calls.tool_version: test/cli/cae-bracket-study.test.ts). Skips, saying why, without
// gmsh/ccx.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlateStudy } from '../../assets/bracket/study.js';
import { studyToolVersions } from '../../assets/bracket/tool-versions.js';
import { installedProgramVersions } from '../../assets/tools/cae/versions.js';
import { studyFile } from '../../assets/study-files.js';
import {
  startHttpToolServer,
  type HttpToolServerProcess,
} from '../support/http-tool-server-process.js';
import { scratch, skipWithoutCae } from './cae-fixtures.js';

const skip = skipWithoutCae('the CAE server`s announced versions');
const SERVER = path.resolve('assets/tools/cae-server.ts');
const TOKEN = 'remote-versions-token-7f3a';

describe.skipIf(skip)('a study reaching the cae server over HTTP', () => {
  let root: Awaited<ReturnType<typeof scratch>>;
  let server: HttpToolServerProcess;

  beforeAll(async () => {
    root = await scratch('cae-remote-versions');
    // The server's machine has another CalculiX: a `ccx` first on its PATH saying 2.99.
    const bin = path.join(root.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'ccx'), '#!/bin/sh\necho "This is Version 2.99"\n');
    chmodSync(path.join(bin, 'ccx'), 0o755);
    server = await startHttpToolServer(SERVER, ['--token-env', 'CAE_TOKEN'], {
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      CAE_TOKEN: TOKEN,
      STRATA_ARTIFACT_STORE: path.join(root.dir, 'artifacts'),
      STRATA_CAE_WORK: path.join(root.dir, 'work'),
    });
  });
  afterAll(async () => {
    await server?.stop();
    await root?.remove();
  });

  it('takes the versions the server announces, and its code versions follow them', async () => {
    const local = await installedProgramVersions();
    expect(local.ccx).not.toBe('2.99');
    const remote = await studyToolVersions({ STRATA_CAE_URL: server.url, STRATA_CAE_TOKEN: TOKEN });
    expect(remote).toEqual({ gmsh: local.gmsh, ccx: '2.99' });
    // Without the URL: the installed programs.
    expect(await studyToolVersions({})).toEqual(local);

    const definitions = definePlateStudy({
      designSpaceFile: studyFile('bracket/design-space.json'),
      materialsFile: studyFile('material-properties.json'),
      versions: remote,
      toolEnv: { STRATA_CAE_URL: server.url },
    });
    const feaRun = [...definitions.assets.values()].find((a) => a.key === 'plate/fea_run');
    expect(feaRun?.codeVersion).toMatch(/^1\/ccx-2\.99\//);
  });

  it.each([
    ['a wrong token', () => ({ STRATA_CAE_URL: server.url, STRATA_CAE_TOKEN: 'wrong' })],
    ['no token', () => ({ STRATA_CAE_URL: server.url })],
    ['no server', () => ({ STRATA_CAE_URL: 'http://127.0.0.1:9/mcp', STRATA_CAE_TOKEN: TOKEN })],
  ])('fails the load with %s, naming the URL and the variable', async (_case, env) => {
    const given = env();
    const failure = await studyToolVersions(given).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    const error = failure as Error & { hint?: string };
    expect(error.name).toBe('EnvironmentError');
    expect(error.message).toContain(`the cae tool server at ${given.STRATA_CAE_URL}`);
    expect(error.message).toContain('(STRATA_CAE_URL)');
    expect(error.message).toContain('plate/fea_run');
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain(TOKEN);
  });
});
