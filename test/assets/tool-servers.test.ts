// The example's CAD, mesher and solver MCP servers driven by assets through the engine: real
// processes over stdio, results as immutable ids with content in the artifact store, and a
// solve that agrees with Timoshenko beam theory.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { artifactRefSchema, asset, mcpStdioServer } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, tempArtifacts } from '../support/engine.js';
import { summaryOf } from '../executor/helpers.js';
import { timoshenkoTipDeflection } from '../../assets/tools/fea/index.js';

const database = useTestDatabase();
const server = (name: string) =>
  mcpStdioServer({
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      fileURLToPath(new URL(`../../assets/tools/${name}-server.ts`, import.meta.url)),
    ],
  });

const design = { lengthM: 1, heightM: 0.1, thicknessM: 0.02, tipLoadN: 2_000 };

describe('the example tool servers', () => {
  it('build a geometry revision, mesh it and solve it, every step an immutable id', async () => {
    const cad = asset({
      key: 'cad',
      codeVersion: '1',
      schema: z.object({ id: z.string(), geometry: artifactRefSchema, drawing: artifactRefSchema }),
      compute: async (ctx) =>
        (
          await ctx.tools.call<{
            id: string;
            geometry: z.infer<typeof artifactRefSchema>;
            drawing: z.infer<typeof artifactRefSchema>;
          }>('cad', 'make_geometry', {
            length_m: design.lengthM,
            height_m: design.heightM,
            thickness_m: design.thicknessM,
          })
        ).structured,
    });
    const mesh = asset({
      key: 'mesh',
      codeVersion: '1',
      deps: { cad },
      schema: z.object({ id: z.string(), mesh: artifactRefSchema }),
      compute: async (ctx) => {
        const result = await ctx.tools.call<{
          id: string;
          mesh: z.infer<typeof artifactRefSchema>;
        }>('mesher', 'mesh', {
          geometry: ctx.inputs.cad.geometry,
          elements_through_height: 4,
          max_aspect_ratio: 2,
        });
        return { id: result.structured.id, mesh: result.structured.mesh };
      },
    });
    const fea = asset({
      key: 'fea',
      codeVersion: '1',
      deps: { mesh },
      schema: z.object({ id: z.string(), tipDeflectionM: z.number(), fields: artifactRefSchema }),
      compute: async (ctx) => {
        const result = await ctx.tools.call<{
          id: string;
          tip_deflection_m: number;
          fields: z.infer<typeof artifactRefSchema>;
        }>('solver', 'solve', {
          mesh: ctx.inputs.mesh.mesh,
          material: 'steel',
          tip_load_n: design.tipLoadN,
        });
        return {
          id: result.structured.id,
          tipDeflectionM: result.structured.tip_deflection_m,
          fields: result.structured.fields,
        };
      },
    });
    const artifacts = tempArtifacts();
    const graph = graphOf([cad, mesh, fea], {
      tools: { cad: server('cad'), mesher: server('mesher'), solver: server('solver') },
    });
    const summary = summaryOf(await run(database, graph, { artifacts }));
    expect(summary.status).toBe('succeeded');

    const values = await database.db
      .selectFrom('strata_internal.latest_materializations as l')
      .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
      .select(['l.asset_key', 'm.value'])
      .orderBy('l.asset_key')
      .execute();
    const value = (key: string) =>
      values.find((v) => v.asset_key === key)!.value as Record<string, unknown>;
    expect(value('cad').id).toMatch(/^cad-[0-9a-f]{16}$/);
    expect(value('mesh').id).toMatch(/^mesh-[0-9a-f]{16}$/);
    expect(value('fea').id).toMatch(/^run-[0-9a-f]{16}$/);
    const svg = (
      await artifacts.read(value('cad').drawing as z.infer<typeof artifactRefSchema>)
    ).toString('utf8');
    expect(svg.startsWith('<?xml') || svg.startsWith('<svg')).toBe(true);

    const theory = timoshenkoTipDeflection({
      ...design,
      youngsModulusPa: 210e9,
      poissonRatio: 0.3,
    }).totalM;
    expect(Math.abs((value('fea').tipDeflectionM as number) - theory) / theory).toBeLessThan(0.02);

    const calls = await database.db
      .selectFrom('strata_internal.tool_calls')
      .select(['server', 'tool', 'tool_version', 'result_id'])
      .orderBy('id')
      .execute();
    expect(calls.map((c) => [c.server, c.tool, c.tool_version])).toEqual([
      ['cad', 'make_geometry', '1.0.0'],
      ['mesher', 'mesh', '1.0.0'],
      ['solver', 'solve', '1.1.0'],
    ]);
    expect(calls.map((c) => c.result_id)).toEqual([
      value('cad').id,
      value('mesh').id,
      value('fea').id,
    ]);
    // The artifacts embedded in values are linked to their materializations.
    const linked = await database.db
      .selectFrom('strata_internal.materialization_artifacts')
      .select('name')
      .orderBy('name')
      .execute();
    expect(linked.length).toBeGreaterThanOrEqual(4);
  });
});
