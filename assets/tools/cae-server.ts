// The CAE tool server (MCP over stdio, or Streamable HTTP with --http), in the adapter shape the
// field recommends: cad.modify -> cad_rev_id, mesh.generate -> mesh_id, solve.submit -> run_id,
// solve.wait, solve.fetch -> result_id, post.extract -> metrics. Gmsh and CalculiX do the work
// (./cae/); every id is derived from what it is of (inputs, program versions), every file a
// caller may want (STEP, .msh, .inp, deck, .dat, .frd) is stored as an artifact, and every call
// is idempotent: the kit replays an answered idempotency key, and a solve is named by its deck, so
// submitting one deck again returns the run already started instead of starting ccx again.
// Scratch directories (CAD revisions, meshes, CalculiX runs) live under $STRATA_CAE_WORK (default
// <tmpdir>/strata-cae-work): solve.wait reattaches to a run there after a restart of the server.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { artifactRefSchema, type ArtifactRef, type ArtifactStore } from 'strata';
import { z } from 'zod';
import { storeArtifact } from './artifact-ref.js';
import {
  CcxJobs,
  LostRunError,
  buildPlateCad,
  caeServerVersion,
  ccxVersion,
  extractPlateQois,
  fetchRun,
  installedProgramVersions,
  ktNetFiniteWidthPlate,
  meshPlate,
  netSectionStress,
  parseAbaqusMesh,
  parseDatDisplacements,
  parseFrd,
  validatePlate,
  plateTensionDeck,
  STEEL,
  type CadRevision,
  type ElasticMaterial,
  type PlateWithHole,
  type RunEnd,
} from './cae/index.js';
import { plateDrawingSvg } from './cae/plate-drawing.js';
import { serveTools, tool } from './tool-server-kit.js';

/** Bumped when what these tools answer for the same inputs could change. */
export const CAE_SERVER_VERSION = '1.2.0';

const work = path.resolve(process.env.STRATA_CAE_WORK ?? path.join(tmpdir(), 'strata-cae-work'));
const jobs = new CcxJobs(path.join(work, 'runs'));

const plateSchema = z.object({
  length_mm: z.number(),
  width_mm: z.number(),
  hole_diameter_mm: z.number(),
  thickness_mm: z.number(),
});

function plateOf(params: z.infer<typeof plateSchema>): PlateWithHole {
  return {
    lengthMm: params.length_mm,
    widthMm: params.width_mm,
    holeDiameterMm: params.hole_diameter_mm,
    thicknessMm: params.thickness_mm,
  };
}

async function storeFile(
  artifacts: ArtifactStore,
  file: string,
  name: string,
  contentType = 'text/plain',
): Promise<ArtifactRef> {
  return storeArtifact(artifacts, name, await readFile(file, 'utf8'), contentType);
}

async function readRef(artifacts: ArtifactStore, ref: unknown): Promise<string> {
  return (await artifacts.read(ref as ArtifactRef)).toString('utf8');
}

/**
 * How often solve.wait reports that ccx is still running (a progress notification, or a stderr
 * line), ms: $STRATA_CAE_REPORT_MS, default 2 s.
 */
const WAIT_REPORT_MS = reportInterval(process.env.STRATA_CAE_REPORT_MS);

function reportInterval(given: string | undefined): number {
  if (given === undefined || given.trim() === '') return 2_000;
  const ms = Number(given);
  if (!Number.isInteger(ms) || ms < 100) {
    process.stderr.write(
      `cae: STRATA_CAE_REPORT_MS must be a whole number of ms >= 100, not ${given}\n`,
    );
    process.exit(2);
  }
  return ms;
}

const materialSchema = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  youngs_modulus_mpa: z.number().positive(),
  poisson_ratio: z.number().gt(-1).lt(0.5),
});

function materialOf(material: z.infer<typeof materialSchema> | undefined): ElasticMaterial {
  if (material === undefined) return STEEL;
  return {
    name: material.name.toUpperCase(),
    youngsModulusMpa: material.youngs_modulus_mpa,
    poissonRatio: material.poisson_ratio,
  };
}

/** How solve.wait says a run ended (a lost run has no end of its own: `undefined`). */
function endedAs(end: RunEnd | undefined): 'exited' | 'killed' | 'lost' {
  if (end === undefined) return 'lost';
  return end.signal === undefined ? 'exited' : 'killed';
}

const sha16 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

// Announced with the programs' versions: each recorded call keeps them, and a study reaching this
// server over HTTP reads them for its code versions (assets/bracket/tool-versions.ts).
const announced = caeServerVersion(CAE_SERVER_VERSION, await installedProgramVersions());

await serveTools('cae', announced, [
  tool({
    name: 'cad.modify',
    description: 'Build a CAD revision of a design with Gmsh/OpenCASCADE; STEP files as artifacts',
    input: { design: z.literal('plate-with-hole'), params: plateSchema },
    output: {
      cad_rev_id: z.string(),
      gmsh_version: z.string(),
      part_step: artifactRefSchema,
      section_step: artifactRefSchema,
      drawing: artifactRefSchema,
    },
    run: async (args, artifacts) => {
      const cad = await buildPlateCad(plateOf(args.params), path.join(work, 'cad'));
      return {
        cad_rev_id: cad.id,
        gmsh_version: cad.gmshVersion,
        drawing: await storeArtifact(
          artifacts,
          `${cad.id}.svg`,
          plateDrawingSvg(cad.plate, cad.id),
          'image/svg+xml',
        ),
        part_step: await storeFile(artifacts, cad.partStep, `${cad.id}-part.step`, 'model/step'),
        section_step: await storeFile(
          artifacts,
          cad.sectionStep,
          `${cad.id}-section.step`,
          'model/step',
        ),
      };
    },
  }),
  tool({
    name: 'mesh.generate',
    description: 'Mesh a CAD revision with Gmsh (second order, refined at the hole)',
    input: {
      cad_rev_id: z.string(),
      params: plateSchema,
      section_step: artifactRefSchema,
      settings: z.object({
        kind: z.enum(['tri6', 'quad8']).default('tri6'),
        size_at_hole_mm: z.number(),
        size_max_mm: z.number(),
        refine_distance_mm: z.number(),
      }),
    },
    output: {
      mesh_id: z.string(),
      gmsh_version: z.string(),
      msh: artifactRefSchema,
      inp: artifactRefSchema,
      nodes: z.number(),
      elements: z.number(),
      min_scaled_jacobian: z.number(),
      avg_scaled_jacobian: z.number(),
      min_inverse_condition_number: z.number(),
    },
    run: async (args, artifacts) => {
      const plate = plateOf(args.params);
      const dir = path.join(work, 'cad-in', args.cad_rev_id);
      await mkdir(dir, { recursive: true });
      const sectionStep = path.join(dir, 'section.step');
      await writeFile(sectionStep, await readRef(artifacts, args.section_step));
      const cad: CadRevision = {
        id: args.cad_rev_id,
        plate,
        gmshVersion: '',
        dir,
        partStep: '',
        sectionStep,
      };
      const { settings } = args;
      const mesh = await meshPlate(
        cad,
        {
          kind: settings.kind,
          sizeAtHoleMm: settings.size_at_hole_mm,
          sizeMaxMm: settings.size_max_mm,
          refineDistanceMm: settings.refine_distance_mm,
        },
        path.join(work, 'mesh'),
      );
      return {
        mesh_id: mesh.id,
        gmsh_version: mesh.gmshVersion,
        msh: await storeFile(artifacts, mesh.msh, `${mesh.id}.msh`),
        inp: await storeFile(artifacts, mesh.inp, `${mesh.id}.inp`),
        nodes: mesh.mesh.nodes.size,
        elements: mesh.mesh.elements.length,
        min_scaled_jacobian: mesh.quality.minScaledJacobian,
        avg_scaled_jacobian: mesh.quality.avgScaledJacobian,
        min_inverse_condition_number: mesh.quality.minInverseConditionNumber,
      };
    },
  }),
  tool({
    name: 'solve.submit',
    description:
      'Start CalculiX on a mesh under uniaxial tension (once per deck); returns run_id. With ' +
      'replaces_run_id: start the deck again in place of that run, which ccx never finished ' +
      '(killed, or lost); a run still going is returned as it is, a finished one is refused',
    input: {
      mesh_id: z.string(),
      inp: artifactRefSchema,
      params: plateSchema,
      tension_mpa: z.number(),
      /** Linear-elastic material, MPa (default: structural steel, E = 210 GPa, nu = 0.3). */
      material: materialSchema.optional(),
      replaces_run_id: z.string().optional(),
    },
    output: {
      run_id: z.string(),
      started_now: z.boolean(),
      ccx_version: z.string(),
      deck: artifactRefSchema,
    },
    run: async (args, artifacts) => {
      const mesh = parseAbaqusMesh(await readRef(artifacts, args.inp));
      const deck = plateTensionDeck(
        plateOf(args.params),
        mesh,
        args.tension_mpa,
        materialOf(args.material),
      );
      // The run is named by what it computes: the deck and the solver that computes it.
      const key = `deck:${await ccxVersion()}:${sha16(deck)}`;
      const submitted =
        args.replaces_run_id === undefined
          ? await jobs.submit(key, deck)
          : await jobs.rerun(key, deck, args.replaces_run_id);
      return {
        run_id: submitted.runId,
        started_now: submitted.startedNow,
        ccx_version: await ccxVersion(),
        deck: await storeArtifact(artifacts, `${submitted.runId}.inp`, deck, 'text/plain'),
      };
    },
  }),
  tool({
    name: 'solve.wait',
    description:
      'Wait for a CalculiX run to end (reattaches to a running ccx); says whether ccx exited, ' +
      'was killed (and by which signal), or was lost (gone without an exit status)',
    input: { run_id: z.string() },
    output: {
      run_id: z.string(),
      ended: z.enum(['exited', 'killed', 'lost']),
      exit_code: z.number().nullable(),
      signal: z.string().nullable(),
      waited_ms: z.number(),
    },
    run: async (args, _artifacts, progress) => {
      const started = Date.now();
      // Heartbeats while ccx runs, with its own progress (its .sta) when it has some: a progress
      // notification every few seconds to a caller that listens (a strata worker logs them in
      // the step's log), else a line on stderr (a worker passes a stdio server's stderr through).
      const end = await jobs
        .wait(args.run_id, {
          heartbeatMs: WAIT_REPORT_MS,
          onHeartbeat: (beat) => {
            if (beat.elapsedMs < WAIT_REPORT_MS) return;
            const line =
              `ccx (pid ${beat.pid}) running for ${Math.round(beat.elapsedMs / 1000)} s` +
              (beat.progress ? `: ${beat.progress}` : '');
            if (!progress(`${beat.runId}: ${line}`))
              process.stderr.write(`cae: solve.wait ${beat.runId}: ${line}\n`);
          },
        })
        .catch((error: unknown) => {
          if (error instanceof LostRunError) return undefined;
          throw error;
        });
      return {
        run_id: args.run_id,
        ended: endedAs(end),
        exit_code: end?.exitCode ?? null,
        signal: end?.signal ?? null,
        waited_ms: Date.now() - started,
      };
    },
  }),
  tool({
    name: 'solve.fetch',
    description: "Read a finished run's results (fails with CalculiX's own message)",
    input: { run_id: z.string() },
    output: {
      result_id: z.string(),
      run_id: z.string(),
      ccx_version: z.string(),
      dat: artifactRefSchema,
      frd: artifactRefSchema,
      output: artifactRefSchema,
    },
    run: async (args, artifacts) => {
      const result = await fetchRun(jobs, args.run_id);
      const dat = await storeFile(artifacts, result.files.dat, `${result.runId}.dat`);
      const frd = await storeFile(artifacts, result.files.frd, `${result.runId}.frd`);
      return {
        result_id: `result-${sha16(`${dat.artifact} ${frd.artifact}`)}`,
        run_id: result.runId,
        ccx_version: result.ccxVersion,
        dat,
        frd,
        output: await storeFile(artifacts, result.files.output, `${result.runId}.out`),
      };
    },
  }),
  tool({
    name: 'post.extract',
    description: 'Quantities of interest of a result: max von Mises, peak at the hole, Kt_n',
    input: {
      result_id: z.string(),
      dat: artifactRefSchema,
      frd: artifactRefSchema,
      params: plateSchema,
      tension_mpa: z.number(),
    },
    output: {
      result_id: z.string(),
      max_von_mises_mpa: z.number(),
      max_displacement_mm: z.number(),
      hole_edge_peak_sxx_mpa: z.number(),
      kt_net: z.number(),
      kt_net_reference: z.number(),
    },
    run: async (args, artifacts) => {
      const plate = plateOf(args.params);
      validatePlate(plate);
      const frd = parseFrd(await readRef(artifacts, args.frd));
      const qois = extractPlateQois(
        {
          runId: args.result_id,
          coordinates: frd.coordinates,
          displacements: parseDatDisplacements(await readRef(artifacts, args.dat)),
          stresses: frd.stresses,
        },
        plate.holeDiameterMm / 2,
      );
      const net = netSectionStress(args.tension_mpa, plate.holeDiameterMm, plate.widthMm);
      return {
        result_id: args.result_id,
        max_von_mises_mpa: qois.maxVonMisesMpa.value,
        max_displacement_mm: qois.maxDisplacementMm.value,
        hole_edge_peak_sxx_mpa: qois.holeEdgePeakSxxMpa.value,
        kt_net: qois.holeEdgePeakSxxMpa.value / net,
        kt_net_reference: ktNetFiniteWidthPlate(plate.holeDiameterMm, plate.widthMm),
      };
    },
  }),
]);
