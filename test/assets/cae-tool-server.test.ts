// The CAE tool server (assets/tools/cae-server.ts) as a real MCP server process over stdio, in
// the field's adapter shape: cad.modify -> mesh.generate -> solve.submit -> solve.wait ->
// solve.fetch -> post.extract, every answer an immutable id with its files as artifacts. A solve
// submitted again (under another idempotency key, so the kit does not simply replay the answer)
// returns the same run without starting ccx again; the Kt it extracts is within 3% of Peterson's.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATE, PLATE_STRESS_MPA, scratch, skipWithoutCae } from './cae-fixtures.js';

const skip = skipWithoutCae('the CAE tool server test');

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = fileURLToPath(new URL('../../assets/tools/cae-server.ts', import.meta.url));
const KEY_META = 'strata/idempotencyKey';

const params = {
  length_mm: PLATE.lengthMm,
  width_mm: PLATE.widthMm,
  hole_diameter_mm: PLATE.holeDiameterMm,
  thickness_mm: PLATE.thicknessMm,
};

type Answer = Record<string, unknown>;

describe.skipIf(skip)('the CAE tool server', () => {
  let root: Awaited<ReturnType<typeof scratch>>;
  let client: Client;

  beforeAll(async () => {
    root = await scratch('cae-server');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', SERVER],
      env: {
        PATH: process.env.PATH ?? '',
        STRATA_ARTIFACT_STORE: path.join(root.dir, 'artifacts'),
        STRATA_CAE_WORK: path.join(root.dir, 'work'),
        // Reports every half second: several while ccx runs, even on a fast machine.
        STRATA_CAE_REPORT_MS: '500',
      },
      cwd: REPO,
      stderr: 'ignore',
    });
    client = new Client({ name: 'cae-test', version: '1' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
    await root?.remove();
  });

  /** Calls a tool under an idempotency key (hex, as the engine derives them). */
  async function call(name: string, args: Answer, key: string): Promise<Answer> {
    const hex = createHash('sha256').update(key).digest('hex');
    const result = await client.callTool({ name, arguments: args, _meta: { [KEY_META]: hex } });
    if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
    return result.structuredContent as Answer;
  }

  it('lists the six tools of the adapter shape', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'cad.modify',
      'mesh.generate',
      'post.extract',
      'solve.fetch',
      'solve.submit',
      'solve.wait',
    ]);
  });

  it('CAD to metrics, idempotent ids, one ccx for a deck submitted twice', async () => {
    const cad = await call('cad.modify', { design: 'plate-with-hole', params }, 'cad-1');
    expect(cad.cad_rev_id).toMatch(/^cad-[0-9a-f]{16}$/);
    // Another key, same design: the same revision id (derived from the design and Gmsh).
    const cadAgain = await call('cad.modify', { design: 'plate-with-hole', params }, 'cad-2');
    expect(cadAgain.cad_rev_id).toBe(cad.cad_rev_id);

    const mesh = await call(
      'mesh.generate',
      {
        cad_rev_id: cad.cad_rev_id,
        params,
        section_step: cad.section_step,
        settings: { kind: 'tri6', size_at_hole_mm: 0.5, size_max_mm: 10, refine_distance_mm: 30 },
      },
      'mesh-1',
    );
    expect(mesh.mesh_id).toMatch(/^mesh-[0-9a-f]{16}$/);
    expect(mesh.min_scaled_jacobian).toBeGreaterThan(0.9);

    const solveArgs = {
      mesh_id: mesh.mesh_id,
      inp: mesh.inp,
      params,
      tension_mpa: PLATE_STRESS_MPA,
    };
    const submitted = await call('solve.submit', solveArgs, 'submit-1');
    expect(submitted.started_now).toBe(true);
    const resubmitted = await call('solve.submit', solveArgs, 'submit-2');
    expect(resubmitted.run_id).toBe(submitted.run_id);
    expect(resubmitted.started_now).toBe(false);

    const waited = await call('solve.wait', { run_id: submitted.run_id }, 'wait-1');
    expect(waited).toMatchObject({ ended: 'exited', exit_code: 0, signal: null });
    // A finished run is not the server's to start again, whoever asks.
    await expect(
      call('solve.submit', { ...solveArgs, replaces_run_id: submitted.run_id }, 'submit-3'),
    ).rejects.toThrow(/ran to its end \(exit code 0\)/);
    const fetched = await call('solve.fetch', { run_id: submitted.run_id }, 'fetch-1');
    expect(fetched.result_id).toMatch(/^result-[0-9a-f]{16}$/);
    const starts = await readFile(
      path.join(root.dir, 'work', 'runs', String(submitted.run_id), 'ccx-starts'),
      'utf8',
    );
    expect(starts.trim().split('\n')).toHaveLength(1);

    const metrics = await call(
      'post.extract',
      {
        result_id: fetched.result_id,
        dat: fetched.dat,
        frd: fetched.frd,
        params,
        tension_mpa: PLATE_STRESS_MPA,
      },
      'post-1',
    );
    const kt = Number(metrics.kt_net);
    expect(Math.abs(kt / Number(metrics.kt_net_reference) - 1)).toBeLessThan(0.03);
    expect(Number(metrics.max_von_mises_mpa)).toBeGreaterThan(PLATE_STRESS_MPA * 2);
  });

  it('solve.wait reports how long ccx has run to a caller listening for progress', async () => {
    const cad = await call('cad.modify', { design: 'plate-with-hole', params }, 'cad-slow');
    // Fine enough (about 10^4 second-order triangles) for ccx to run for seconds.
    const mesh = await call(
      'mesh.generate',
      {
        cad_rev_id: cad.cad_rev_id,
        params,
        section_step: cad.section_step,
        settings: { kind: 'tri6', size_at_hole_mm: 0.2, size_max_mm: 1.5, refine_distance_mm: 30 },
      },
      'mesh-slow',
    );
    const submitted = await call(
      'solve.submit',
      { mesh_id: mesh.mesh_id, inp: mesh.inp, params, tension_mpa: PLATE_STRESS_MPA },
      'submit-slow',
    );
    const heard: { progress: number; message?: string }[] = [];
    const result = await client.callTool(
      {
        name: 'solve.wait',
        arguments: { run_id: submitted.run_id },
        _meta: { [KEY_META]: createHash('sha256').update('wait-slow').digest('hex') },
      },
      undefined,
      { onprogress: (progress) => heard.push(progress), timeout: 120_000 },
    );
    expect(result.structuredContent).toMatchObject({ ended: 'exited', exit_code: 0 });
    const waitedS = Number((result.structuredContent as Answer).waited_ms) / 1000;
    console.log(`ccx ran ${waitedS.toFixed(1)} s; progress: ${JSON.stringify(heard)}`);
    expect(heard.length).toBeGreaterThanOrEqual(1);
    expect(heard.map((h) => h.progress)).toEqual(heard.map((_, i) => i + 1));
    for (const report of heard)
      expect(report.message).toMatch(
        new RegExp(`^${String(submitted.run_id)}: ccx \\(pid \\d+\\) running for \\d+ s`),
      );
  });
});
