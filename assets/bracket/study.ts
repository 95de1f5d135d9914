// The assets of the CAE study (assets/bracket/index.ts): a design of experiments over a plate
// with a central hole in tension, computed by real engineering tools through the `cae` MCP tool
// server (assets/tools/cae-server.ts: Gmsh's OpenCASCADE CAD and mesher, CalculiX):
//
//   plate/designs (the Latin hypercube of assets/bracket/design-space.json; one partition per
//   design point) -> per design: plate/design_point -> plate/cad_revision (cad.modify: STEP and
//   a drawing) -> plate/mesh (mesh.generate: .msh, element count, min scaled Jacobian) ->
//   plate/fea_run (solve.submit / solve.wait / solve.fetch: the deck, .dat and .frd) ->
//   plate/metrics (post.extract: peak stress, Kt, max displacement; mass) -> plate/pareto_front
//   (fan-in: the non-dominated designs in mass vs displacement, the recommendation, a plot and
//   the recommended design's stress contour).
//
// Keys live under `plate/` so the study can share a project (and database) with the cantilever
// study of assets/index.ts without the two graphs' assets colliding. The Gmsh and CalculiX
// versions are part of the code versions of the assets they compute (./tool-versions.ts).
import { createHash } from 'node:crypto';
import {
  allPartitions,
  artifactRefSchema,
  asset,
  defineAssets,
  dynamicPartitions,
  producedPartitions,
  UserCodeError,
  type ArtifactRef,
} from 'strata';
import { z } from 'zod';
import { parseAbaqusMesh } from '../tools/cae/abaqus-mesh.js';
import { parseFrd } from '../tools/cae/ccx-results.js';
import { paretoPlotSvg } from '../tools/doe/pareto-plot.js';
import { paretoFront, recommend } from '../tools/doe/pareto.js';
import { CAE_SLURM_ENV, executorOption } from '../fea-executor.js';
import { parseMaterialTable, type MaterialTable } from '../material-properties.js';
import type { StudyFile } from '../study-files.js';
import { caeToolServer } from '../tool-servers.js';
import { stressContourSvg } from './contour-svg.js';
import {
  PlateSpaceError,
  parsePlateSpace,
  plateDesignSchema,
  plateDesigns,
  type PlateSpace,
} from './plate-space.js';
import {
  PA_PER_MPA,
  meshSettingsOf,
  plateParams,
  solverMaterial,
  tensionMpa,
} from './tool-arguments.js';
import type { ToolVersions } from './tool-versions.js';

/** What varies between versions of the CAE study. */
export interface PlateStudyInputs {
  readonly designSpaceFile: StudyFile;
  /** The material table (assets/material-properties.json, shared with the cantilever study). */
  readonly materialsFile: StudyFile;
  /** Gmsh's and CalculiX's versions, of the `cae` server the study uses (./tool-versions.ts). */
  readonly versions: ToolVersions;
  /** The environment choosing how the `cae` server is reached. Default: process.env. */
  readonly toolEnv?: Readonly<Record<string, string | undefined>>;
  /** The environment choosing where plate/fea_run runs ($STRATA_CAE_SLURM). Default: process.env */
  readonly executorEnv?: Readonly<Record<string, string | undefined>>;
}

const MM_PER_M = 1000;
const MM3_PER_M3 = 1e9;

const shortHash = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);

/** The CAE study's asset definitions. */
export function definePlateStudy(inputs: PlateStudyInputs) {
  const { designSpaceFile, materialsFile } = inputs;
  const { versions } = inputs;
  let space: PlateSpace;
  let materials: MaterialTable;
  try {
    space = parsePlateSpace(designSpaceFile.text, designSpaceFile.path);
    materials = parseMaterialTable(materialsFile.text, materialsFile.path);
  } catch (error) {
    if (error instanceof PlateSpaceError) throw new UserCodeError(error.message, { cause: error });
    throw error;
  }
  const materialOf = (name: string) => {
    const found = Object.hasOwn(materials, name) ? materials[name] : undefined;
    if (found === undefined)
      throw new UserCodeError(`${materialsFile.path} has no material ${JSON.stringify(name)}`);
    return found;
  };

  /** The DOEs of the study: `baseline`, the Latin hypercube of the design space. */
  const doePartitions = dynamicPartitions('plate_plans', { initialKeys: ['baseline'] });
  const designs = asset({
    key: 'plate/designs',
    group: 'plate_doe',
    description: `Design points of the plate study: a nested Latin hypercube (${designSpaceFile.path})`,
    codeVersion: `1/${shortHash([space.samples, space.seed, space.variables, space.length_over_width, space.materials])}`,
    partitions: doePartitions,
    schema: z.object({ points: z.array(plateDesignSchema) }),
    compute: ({ metadata }) => {
      const points = plateDesigns(space);
      metadata({ samples: points.length });
      return { points };
    },
  });

  const perDesign = producedPartitions(designs, (value: { points: { key: string }[] }) =>
    value.points.map((p) => p.key),
  );

  const designPoint = asset({
    key: 'plate/design_point',
    group: 'plate_doe',
    description: 'The parameters of one plate: W, d, t, L (mm), load (kN), material',
    codeVersion: '1',
    partitions: perDesign,
    deps: { designs },
    schema: plateDesignSchema,
    compute: ({ inputs, partitionKey }) => {
      const point = inputs.designs.points.find((p) => p.key === partitionKey);
      if (!point) throw new UserCodeError(`plate/designs has no point ${partitionKey}`);
      return point;
    },
  });

  /** The B-rep of a design (Gmsh/OpenCASCADE through cad.modify): STEP files and a drawing. */
  const cadRevision = asset({
    key: 'plate/cad_revision',
    group: 'plate_simulation',
    description:
      'B-rep of the plate by Gmsh/OpenCASCADE: STEP (part, quarter section), SVG drawing',
    codeVersion: `1/gmsh-${versions.gmsh}`,
    partitions: perDesign,
    deps: { point: designPoint },
    schema: z.object({
      revision: z.string(),
      gmshVersion: z.string(),
      partStep: artifactRefSchema,
      sectionStep: artifactRefSchema,
      drawing: artifactRefSchema,
    }),
    compute: async ({ inputs, tools, metadata }) => {
      const { structured } = await tools.call<{
        cad_rev_id: string;
        gmsh_version: string;
        part_step: ArtifactRef;
        section_step: ArtifactRef;
        drawing: ArtifactRef;
      }>('cae', 'cad.modify', { design: 'plate-with-hole', params: plateParams(inputs.point) });
      metadata({ gmsh_version: structured.gmsh_version });
      return {
        revision: structured.cad_rev_id,
        gmshVersion: structured.gmsh_version,
        partStep: structured.part_step,
        sectionStep: structured.section_step,
        drawing: structured.drawing,
      };
    },
  });

  /** A second-order mesh of the quarter section (Gmsh through mesh.generate). */
  const mesh = asset({
    key: 'plate/mesh',
    group: 'plate_simulation',
    description: 'Gmsh 6-node triangle mesh of the quarter section, refined at the hole (.msh)',
    codeVersion: `1/gmsh-${versions.gmsh}/${shortHash(space.mesh)}`,
    partitions: perDesign,
    deps: { cad: cadRevision, point: designPoint },
    schema: z.object({
      meshId: z.string(),
      msh: artifactRefSchema,
      inp: artifactRefSchema,
      nodes: z.number(),
      elements: z.number(),
      minScaledJacobian: z.number(),
    }),
    compute: async ({ inputs, tools, metadata }) => {
      const { structured } = await tools.call<{
        mesh_id: string;
        msh: ArtifactRef;
        inp: ArtifactRef;
        nodes: number;
        elements: number;
        min_scaled_jacobian: number;
        avg_scaled_jacobian: number;
      }>('cae', 'mesh.generate', {
        cad_rev_id: inputs.cad.revision,
        params: plateParams(inputs.point),
        section_step: inputs.cad.sectionStep,
        settings: meshSettingsOf(space.mesh, inputs.point),
      });
      metadata({
        elements: structured.elements,
        nodes: structured.nodes,
        min_scaled_jacobian: structured.min_scaled_jacobian,
        avg_scaled_jacobian: structured.avg_scaled_jacobian,
        gmsh_version: versions.gmsh,
      });
      return {
        meshId: structured.mesh_id,
        msh: structured.msh,
        inp: structured.inp,
        nodes: structured.nodes,
        elements: structured.elements,
        minScaledJacobian: structured.min_scaled_jacobian,
      };
    },
  });

  /**
   * The CalculiX solve: submitted once (the call carries an idempotency key derived from the
   * step, and the server names the run by its deck, so a retried or taken-over step reattaches
   * to the run already started), waited for (the server reports progress on stderr while ccx
   * runs; the engine heartbeats the step), fetched (CalculiX's own error is the step's failure).
   */
  const feaRun = asset({
    key: 'plate/fea_run',
    group: 'plate_simulation',
    ...executorOption(inputs.executorEnv, CAE_SLURM_ENV),
    description: 'CalculiX static solve of the plate in tension: deck, .dat and .frd as artifacts',
    codeVersion: `1/ccx-${versions.ccx}/${materialsFile.hash}`,
    partitions: perDesign,
    deps: { mesh, point: designPoint },
    schema: z.object({
      runId: z.string(),
      resultId: z.string(),
      ccxVersion: z.string(),
      tensionMpa: z.number(),
      deck: artifactRefSchema,
      dat: artifactRefSchema,
      frd: artifactRefSchema,
      output: artifactRefSchema,
    }),
    compute: async ({ inputs, tools, metadata, log }) => {
      const { point } = inputs;
      const material = materialOf(point.material);
      const tension = tensionMpa(point);
      const submit = (replacesRunId?: string) =>
        tools.call<{
          run_id: string;
          started_now: boolean;
          ccx_version: string;
          deck: ArtifactRef;
        }>('cae', 'solve.submit', {
          mesh_id: inputs.mesh.meshId,
          inp: inputs.mesh.inp,
          params: plateParams(point),
          tension_mpa: tension,
          material: solverMaterial(point.material, material),
          ...(replacesRunId === undefined ? {} : { replaces_run_id: replacesRunId }),
        });
      const waitFor = (id: string) =>
        tools.call<{
          ended: 'exited' | 'killed' | 'lost';
          exit_code: number | null;
          signal: string | null;
          waited_ms: number;
        }>('cae', 'solve.wait', { run_id: id });
      let submitted = await submit();
      let runId = submitted.structured.run_id;
      log.info(`ccx run ${runId} ${submitted.structured.started_now ? 'started' : 'reattached'}`);
      // A ccx that never finished (killed by a signal: the OOM killer, an operator; or lost with
      // its machine) is started again in its place, up to the server's limit of starts per deck
      // (CalculiX's own errors are final: the same deck would fail the same way). Every call is
      // idempotent, so a retried attempt walks the same runs without starting any again.
      let waited = await waitFor(runId);
      while (waited.structured.ended !== 'exited') {
        const { ended, signal } = waited.structured;
        const how = ended === 'killed' ? `was killed by ${signal}` : 'was lost (no exit status)';
        submitted = await submit(runId);
        if (submitted.structured.run_id === runId) {
          // The server judges the run still going (it was started on another host) while its
          // waiter saw it end: waiting again would only hear that answer again.
          throw new UserCodeError(
            `ccx run ${runId} ${how}, but the cae server still counts it as running (started on ` +
              `another host?); remove its run directory to start the deck again`,
          );
        }
        log.warn(
          `ccx run ${runId} ${how}: deck started again as run ${submitted.structured.run_id}`,
        );
        runId = submitted.structured.run_id;
        waited = await waitFor(runId);
      }
      const fetched = await tools.call<{
        result_id: string;
        ccx_version: string;
        dat: ArtifactRef;
        frd: ArtifactRef;
        output: ArtifactRef;
      }>('cae', 'solve.fetch', { run_id: runId });
      metadata({
        ccx_run: runId,
        ccx_version: fetched.structured.ccx_version,
        ccx_wait_ms: waited.structured.waited_ms,
        tension_mpa: tension,
      });
      return {
        runId,
        resultId: fetched.structured.result_id,
        ccxVersion: fetched.structured.ccx_version,
        tensionMpa: tension,
        deck: submitted.structured.deck,
        dat: fetched.structured.dat,
        frd: fetched.structured.frd,
        output: fetched.structured.output,
      };
    },
  });

  const metricsSchema = z.object({
    material: z.string(),
    peakStressMpa: z.number(),
    maxVonMisesMpa: z.number(),
    kt: z.number(),
    ktReference: z.number(),
    maxDisplacementMm: z.number(),
    massKg: z.number(),
    safetyFactor: z.number(),
  });

  /** The quantities of interest of a design (post.extract), and its mass. */
  const metrics = asset({
    key: 'plate/metrics',
    group: 'plate_results',
    description: 'Peak stress at the hole, Kt (vs Peterson), max displacement, mass, safety factor',
    codeVersion: `1/${materialsFile.hash}`,
    partitions: perDesign,
    deps: { run: feaRun, point: designPoint },
    schema: metricsSchema,
    compute: async ({ inputs, tools, metadata }) => {
      const { run, point } = inputs;
      const { structured } = await tools.call<{
        max_von_mises_mpa: number;
        max_displacement_mm: number;
        hole_edge_peak_sxx_mpa: number;
        kt_net: number;
        kt_net_reference: number;
      }>('cae', 'post.extract', {
        result_id: run.resultId,
        dat: run.dat,
        frd: run.frd,
        params: plateParams(point),
        tension_mpa: run.tensionMpa,
      });
      const material = materialOf(point.material);
      const volumeMm3 =
        (point.length_mm * point.width_mm - (Math.PI * point.hole_diameter_mm ** 2) / 4) *
        point.thickness_mm;
      const massKg = (volumeMm3 / MM3_PER_M3) * material.densityKgM3;
      const safetyFactor = material.yieldStrengthPa / PA_PER_MPA / structured.max_von_mises_mpa;
      const value = {
        material: point.material,
        peakStressMpa: structured.hole_edge_peak_sxx_mpa,
        maxVonMisesMpa: structured.max_von_mises_mpa,
        kt: structured.kt_net,
        ktReference: structured.kt_net_reference,
        maxDisplacementMm: structured.max_displacement_mm,
        massKg,
        safetyFactor,
      };
      metadata({
        peak_stress_mpa: value.peakStressMpa,
        kt: value.kt,
        kt_peterson: value.ktReference,
        max_displacement_mm: value.maxDisplacementMm,
        mass_kg: massKg,
        safety_factor: safetyFactor,
      });
      return value;
    },
  });

  /** The Pareto front (mass vs max displacement), the recommendation, and its stress contour. */
  const paretoFrontAsset = asset({
    key: 'plate/pareto_front',
    group: 'plate_results',
    description:
      'Pareto front of mass vs max displacement, recommended plate, SVG plot and stress contour',
    codeVersion: `1/${shortHash(space.limits)}`,
    deps: {
      metrics: allPartitions(metrics),
      runs: allPartitions(feaRun),
      meshes: allPartitions(mesh),
    },
    schema: z.object({
      front: z.array(
        z.object({ key: z.string(), massKg: z.number(), maxDisplacementMm: z.number() }),
      ),
      recommended: z.string().nullable(),
      reason: z.string(),
      plot: artifactRefSchema,
      contour: artifactRefSchema.nullable(),
    }),
    compute: async ({ inputs, artifacts, metadata }) => {
      const points = Object.entries(inputs.metrics).map(([key, m]) => ({
        key,
        massKg: m.massKg,
        tipDeflectionM: m.maxDisplacementMm / MM_PER_M,
        safetyFactor: m.safetyFactor,
      }));
      const front = paretoFront(points);
      const limits = {
        max_tip_deflection_m: space.limits.max_displacement_mm / MM_PER_M,
        min_safety_factor: space.limits.min_safety_factor,
      };
      const recommendation = recommend(points, limits);
      const plot = await artifacts.put(
        'pareto-front.svg',
        paretoPlotSvg(points, front, recommendation.design, {
          title: 'Plate with a hole: mass vs max displacement',
          maxTipDeflectionM: limits.max_tip_deflection_m,
        }),
        'image/svg+xml',
      );
      const chosen = recommendation.design?.key;
      let contour: ArtifactRef | null = null;
      if (chosen !== undefined) {
        const run = inputs.runs[chosen];
        const meshOf = inputs.meshes[chosen];
        if (run !== undefined && meshOf !== undefined) {
          const planeMesh = parseAbaqusMesh((await artifacts.read(meshOf.inp)).toString('utf8'));
          const frd = parseFrd((await artifacts.read(run.frd)).toString('utf8'));
          const m = inputs.metrics[chosen]!;
          contour = await artifacts.put(
            `stress-contour-${chosen}.svg`,
            stressContourSvg(
              planeMesh,
              frd.stresses,
              `${chosen}: von Mises stress (MPa), ${m.material}, Kt ${m.kt.toFixed(3)}, peak ${m.peakStressMpa.toFixed(1)} MPa`,
            ),
            'image/svg+xml',
          );
        }
      }
      metadata({ designs: points.length, front_size: front.length, recommended: chosen ?? null });
      return {
        front: front.map((p) => ({
          key: p.key,
          massKg: p.massKg,
          maxDisplacementMm: p.tipDeflectionM * MM_PER_M,
        })),
        recommended: chosen ?? null,
        reason: recommendation.reason,
        plot,
        contour,
      };
    },
  });

  return defineAssets(
    [designs, designPoint, cadRevision, mesh, feaRun, metrics, paretoFrontAsset],
    { tools: { cae: caeToolServer(inputs.toolEnv) } },
  );
}
