// The CAE study (assets/bracket/index.ts) end to end through the real CLI (bin/strata.js, after
// `npm run build`): a 3-design DOE of the plate with a hole, built by real Gmsh (CAD, mesh) and
// CalculiX (solve) behind the `cae` MCP tool server, recorded in a real PostgreSQL. Every asset
// materializes; Kt lies between 2 and 3 and within 3% of Peterson's value for the plate's d/W
// (W. D. Pilkey and D. F. Pilkey, Peterson's Stress Concentration Factors, 3rd ed., chart 4.1,
// eq. (4.1), as assets/tools/cae/kt-reference.ts gives it); the STEP, .msh and .frd files are in
// the artifact store; a second materialize has nothing to do; and with another CalculiX on PATH,
// the solves (and what reads them) are stale by code while the CAD and meshes stay fresh. Every
// tool call records the server's announced version with Gmsh's and CalculiX's. Skips,
// saying why, without gmsh/ccx.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArtifactRef } from 'strata';
import { installedProgramVersions } from '../../assets/tools/cae/versions.js';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { skipWithoutCae } from '../assets/cae-fixtures.js';
import { materializationCounts } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { designSpaceFile } from './cae-design-spaces.js';
import { REPO_ROOT } from './cli-harness.js';
import { startCli } from './cli-process.js';

const skip = skipWithoutCae('the CAE study end to end (strata materialize of assets/bracket)');
const database = useTestDatabase();
const DEFINITIONS = path.join(REPO_ROOT, 'assets/bracket/index.ts');
const DESIGNS = 3;
const KT_TOLERANCE = 0.03;

const dir = mkdtempSync(path.join(tmpdir(), 'strata-cae-study-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.skipIf(skip)('the CAE study through strata materialize', () => {
  const store = path.join(dir, 'artifacts');
  const env = {
    STRATA_HOME: path.join(dir, 'home'),
    STRATA_CAE_WORK: path.join(dir, 'cae-work'),
    STRATA_BRACKET_DESIGN_SPACE: designSpaceFile(dir, { samples: DESIGNS }),
  };
  const materialize = () =>
    startCli(['materialize', '--artifact-store', store, '--concurrency', '3'], {
      databaseUrl: database.url,
      definitions: DEFINITIONS,
      env,
    }).done;

  it(
    `materializes ${DESIGNS} designs with plausible metrics, then has nothing to do until ccx changes`,
    { timeout: 240_000 },
    async () => {
      const started = Date.now();
      const first = await materialize();
      console.log(`CAE study, ${DESIGNS} designs: materialize took ${Date.now() - started} ms`);
      expect(first.code, first.stderr).toBe(0);
      const run = await database.db
        .selectFrom('strata_internal.runs')
        .select(['id', 'status'])
        .executeTakeFirstOrThrow();
      expect(run.status).toBe('succeeded');
      const designs = Array.from({ length: DESIGNS }, (_, i) => `d0${i + 1}`);
      const perDesign = ['cad_revision', 'design_point', 'fea_run', 'mesh', 'metrics'];
      expect(await materializationCounts(database, run.id)).toEqual(
        Object.fromEntries(
          [
            ['plate/designs[baseline]', 1],
            ['plate/pareto_front', 1],
            ...perDesign.flatMap((a) => designs.map((d) => [`plate/${a}[${d}]`, 1])),
          ].sort(([a], [b]) => String(a).localeCompare(String(b))),
        ),
      );

      const rows = await database.db
        .selectFrom('strata_internal.materializations')
        .select(['asset_key', 'partition_key', 'value'])
        .where('run_id', '=', run.id)
        .execute();
      const valueOf = (key: string, partition = '') =>
        rows.find((r) => r.asset_key === key && r.partition_key === partition)!.value as Record<
          string,
          unknown
        >;
      const artifacts = new LocalArtifactStore(store);
      const expectArtifact = async (ref: unknown, extension: string) => {
        const artifact = ref as ArtifactRef;
        expect(artifact.name).toMatch(new RegExp(`\\${extension}$`));
        expect((await artifacts.read(artifact)).length).toBeGreaterThan(0);
      };
      for (const design of designs) {
        const metrics = valueOf('plate/metrics', design) as {
          kt: number;
          ktReference: number;
          maxDisplacementMm: number;
          massKg: number;
          safetyFactor: number;
        };
        console.log(`${design}: ${JSON.stringify(metrics)}`);
        expect(metrics.kt).toBeGreaterThan(2);
        expect(metrics.kt).toBeLessThan(3);
        expect(Math.abs(metrics.kt / metrics.ktReference - 1)).toBeLessThan(KT_TOLERANCE);
        expect(metrics.maxDisplacementMm).toBeGreaterThan(0);
        expect(metrics.massKg).toBeGreaterThan(0);
        expect(metrics.safetyFactor).toBeGreaterThan(0);
        const cad = valueOf('plate/cad_revision', design);
        await expectArtifact(cad.partStep, '.step');
        await expectArtifact(cad.drawing, '.svg');
        await expectArtifact(valueOf('plate/mesh', design).msh, '.msh');
        const fea = valueOf('plate/fea_run', design);
        await expectArtifact(fea.frd, '.frd');
        await expectArtifact(fea.dat, '.dat');
      }
      const front = valueOf('plate/pareto_front') as {
        recommended: string | null;
        plot: unknown;
        contour: unknown;
      };
      await expectArtifact(front.plot, '.svg');
      if (front.recommended !== null) await expectArtifact(front.contour, '.svg');

      // Every tool call keeps the versions the server announced: its own and its programs'.
      const { gmsh, ccx } = await installedProgramVersions();
      const calls = await database.db
        .selectFrom('strata_internal.tool_calls')
        .select(['tool', 'tool_version'])
        .where('server', '=', 'cae')
        .execute();
      expect(new Set(calls.map((c) => c.tool))).toEqual(
        new Set([
          'cad.modify',
          'mesh.generate',
          'solve.submit',
          'solve.wait',
          'solve.fetch',
          'post.extract',
        ]),
      );
      expect(new Set(calls.map((c) => c.tool_version))).toEqual(
        new Set([expect.stringMatching(/^\d+\.\d+\.\d+ \(gmsh \S+, ccx \S+\)$/)]),
      );
      expect(calls[0]!.tool_version).toContain(`(gmsh ${gmsh}, ccx ${ccx})`);

      const second = await materialize();
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/Nothing to do: \d+ partitions are fresh/);

      // An upgraded CalculiX: a `ccx` first on PATH that says it is another version.
      const upgraded = path.join(dir, 'upgraded-bin');
      mkdirSync(upgraded);
      writeFileSync(path.join(upgraded, 'ccx'), '#!/bin/sh\necho "This is Version 2.99"\n');
      chmodSync(path.join(upgraded, 'ccx'), 0o755);
      const status = await startCli(['status'], {
        databaseUrl: database.url,
        definitions: DEFINITIONS,
        env: { ...env, PATH: `${upgraded}${path.delimiter}${process.env.PATH ?? ''}` },
      }).done;
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/plate\/fea_run\s+all 3 stale\s.*\bcode\b/);
      expect(status.stdout).toMatch(/plate\/mesh\s+all 3 fresh/);
      expect(status.stdout).toMatch(/plate\/cad_revision\s+all 3 fresh/);
    },
  );
});
