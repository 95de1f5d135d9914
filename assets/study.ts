// The assets of the example study (assets/index.ts): a design of experiments over a cantilever
// bracket (2D). design_space (assets/design-space.json) -> designs (one partition per DOE: the
// `baseline` Latin hypercube of the design space, and one per executed experiment plan; each
// produces design-point partitions) -> per design: design_point -> cad_revision -> mesh
// (assets/mesh-settings.json) -> fea_run -> metrics -> pareto_front (fan-in over every design:
// the non-dominated designs, the recommendation and a plot) and plan_pareto_front (the same over
// one DOE's designs). fea_run also reads material_properties, a source asset observed from
// assets/material-properties.json; what follows it is rebuilt by eager automation when a new
// version is observed. CAD, meshing and the finite-element solve run in MCP tool servers, over
// stdio or HTTP as configured (assets/tool-servers.ts).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  allPartitions,
  artifactRefSchema,
  asset,
  defineAssets,
  dynamicPartitions,
  planOf,
  producedBySamePartition,
  producedPartitions,
  sourceAsset,
  study,
  UserCodeError,
  type ArtifactRef,
  type AssetContext,
} from 'strata';
import { z } from 'zod';
import { DesignSpaceError, parseDesignSpace, type DesignSpace } from './tools/doe/design-space.js';
import { designPoints } from './tools/doe/latin-hypercube.js';
import { paretoPlotSvg } from './tools/doe/pareto-plot.js';
import { paretoFront, recommend } from './tools/doe/pareto.js';
import {
  MaterialTableError,
  materialTableSchema,
  parseMaterialTable,
  type MaterialTable,
} from './material-properties.js';
import type { StudyFile } from './study-files.js';
import { feaExecutorOf } from './fea-executor.js';
import { exampleToolServers } from './tool-servers.js';
import { forceSchema, forcesOf, studyChecks, type ToolForces } from './checks.js';

/** The properties of design-space material `name`, naming what the table lacks. */
function materialOf(table: MaterialTable, name: string): MaterialTable[string] {
  const material = Object.hasOwn(table, name) ? table[name] : undefined;
  if (material === undefined)
    throw new UserCodeError(
      `material_properties has no material ${JSON.stringify(name)} (it has ${Object.keys(table).join(', ') || 'none'})`,
      { hint: 'add it to the materials database export (assets/material-properties.json)' },
    );
  return material;
}

/** What varies between versions of the study: its files, and the CAD code's version. */
export interface StudyInputs {
  readonly designSpaceFile: StudyFile;
  readonly meshSettingsFile: StudyFile;
  /**
   * The material-properties file, observed (not read at load time): it stands for an export of
   * a materials database that changes on its own schedule. Default: assets/material-properties.json.
   */
  readonly materialPropertiesPath?: string;
  /** The declared code version of cad_revision (bump it when the CAD code changes). */
  readonly cadCodeVersion?: string;
  /**
   * The environment choosing how the tool servers are reached (assets/tool-servers.ts).
   * Default: process.env.
   */
  readonly toolEnv?: Readonly<Record<string, string | undefined>>;
  /**
   * The environment choosing where fea_run computes (assets/fea-executor.ts: in the worker, or
   * as a Slurm job with $STRATA_FEA_SLURM). Default: process.env.
   */
  readonly executorEnv?: Readonly<Record<string, string | undefined>>;
}

/** The study's asset definitions for the given files. */
export function defineStudy(inputs: StudyInputs) {
  const { designSpaceFile, meshSettingsFile } = inputs;
  const pointSchema = z.object({
    key: z.string(),
    length_m: z.number(),
    height_m: z.number(),
    thickness_m: z.number(),
    tip_load_n: z.number(),
    material: z.enum(['steel', 'aluminium', 'titanium']),
  });

  const materialsPath =
    inputs.materialPropertiesPath ??
    fileURLToPath(new URL('./material-properties.json', import.meta.url));

  /**
   * Material properties from the materials database's export: a source asset, observed every
   * minute by the automation daemon (and before every run). Its version is the hash of the
   * parsed table, so reformatting the file changes nothing, while a new property value makes
   * every FEA run stale, and eager automation rebuilds them with what depends on them.
   */
  const materialProperties = sourceAsset({
    key: 'material_properties',
    group: 'materials',
    description:
      'Material properties exported from the materials database (assets/material-properties.json)',
    observeEvery: '1m',
    schema: materialTableSchema,
    observe: async ({ metadata }) => {
      let text: string;
      try {
        text = await readFile(materialsPath, 'utf8');
      } catch (error) {
        throw new UserCodeError(`cannot read ${materialsPath}: ${(error as Error).message}`);
      }
      try {
        const table = parseMaterialTable(text, materialsPath);
        metadata({ materials: Object.keys(table).length });
        return table;
      } catch (error) {
        if (error instanceof MaterialTableError) throw new UserCodeError(error.message);
        throw error;
      }
    },
  });

  /** The study's variables, bounds, materials and limits, from assets/design-space.json. */
  const designSpace = asset({
    key: 'design_space',
    group: 'doe',
    description: 'Variables, bounds, materials and limits of the study (assets/design-space.json)',
    codeVersion: `1/${designSpaceFile.hash}`,
    schema: z.custom<DesignSpace>((value) => typeof value === 'object' && value !== null),
    compute: () => {
      try {
        return parseDesignSpace(designSpaceFile.text, designSpaceFile.path);
      } catch (error) {
        if (error instanceof DesignSpaceError)
          throw new UserCodeError(error.message, { cause: error });
        throw error;
      }
    },
  });

  /**
   * The DOEs of the study: `baseline`, a seeded Latin hypercube over the design space, and one
   * partition per executed experiment plan (its points, fixed by the approved plan). Their keys
   * are the design partitions.
   */
  const doePartitions = dynamicPartitions('bracket_plans', { initialKeys: ['baseline'] });
  const designs = asset({
    key: 'designs',
    group: 'doe',
    description:
      "Design points: the baseline Latin hypercube of the design space (existing points never move when N grows), or an approved plan's",
    codeVersion: '2',
    partitions: doePartitions,
    deps: { space: designSpace },
    schema: z.object({ points: z.array(pointSchema) }),
    compute: (ctx) => {
      const plan = planOf(ctx);
      const points = plan
        ? plan.points.map((p) => pointSchema.parse({ key: p.key, ...p.values }))
        : designPoints(ctx.inputs.space);
      ctx.metadata({ samples: points.length, ...(plan ? { plan: plan.id } : {}) });
      return { points };
    },
  });

  const perDesign = producedPartitions(designs, (value: { points: { key: string }[] }) =>
    value.points.map((p) => p.key),
  );

  /** One design point: its own slice of the sample, so new points leave existing ones fresh. */
  const designPoint = asset({
    key: 'design_point',
    group: 'doe',
    description: 'The parameters of one design point',
    codeVersion: '1',
    partitions: perDesign,
    deps: { designs },
    schema: pointSchema,
    compute: ({ inputs, partitionKey }) => {
      const point = inputs.designs.points.find((p) => p.key === partitionKey);
      if (!point) throw new UserCodeError(`designs has no point ${partitionKey}`);
      return point;
    },
  });

  /** The geometry revision of a design (CAD tool server): an id derived from the geometry. */
  const cadRevision = asset({
    key: 'cad_revision',
    group: 'simulation',
    description: 'Parametric 2D cantilever bracket geometry; immutable revision id, SVG drawing',
    codeVersion: inputs.cadCodeVersion ?? '1',
    partitions: perDesign,
    deps: { point: designPoint },
    schema: z.object({
      revision: z.string(),
      geometry: artifactRefSchema,
      drawing: artifactRefSchema,
    }),
    compute: async ({ inputs, tools }) => {
      const { structured } = await tools.call<{
        id: string;
        geometry: ArtifactRef;
        drawing: ArtifactRef;
      }>('cad', 'make_geometry', {
        length_m: inputs.point.length_m,
        height_m: inputs.point.height_m,
        thickness_m: inputs.point.thickness_m,
      });
      return {
        revision: structured.id,
        geometry: structured.geometry,
        drawing: structured.drawing,
      };
    },
  });

  const meshSettings = z
    .object({
      elements_through_height: z.number().int().min(1),
      max_aspect_ratio: z.number().positive(),
    })
    .strict();

  /** A structured Q8 mesh of the geometry (mesher tool server), density from assets/mesh-settings.json. */
  const mesh = asset({
    key: 'mesh',
    group: 'simulation',
    description: 'Structured 8-node quadrilateral mesh; density in assets/mesh-settings.json',
    codeVersion: `1/${meshSettingsFile.hash}`,
    partitions: perDesign,
    deps: { cad: cadRevision },
    schema: z.object({
      meshId: z.string(),
      mesh: artifactRefSchema,
      nodes: z.number(),
      elements: z.number(),
    }),
    compute: async ({ inputs, tools }) => {
      const settings = meshSettings.safeParse(JSON.parse(meshSettingsFile.text));
      if (!settings.success) {
        const issue = settings.error.issues[0]!;
        throw new UserCodeError(
          `${meshSettingsFile.path}: ${issue.path.join('.') || '(file)'}: ${issue.message}`,
        );
      }
      const { structured } = await tools.call<{
        id: string;
        mesh: ArtifactRef;
        nodes: number;
        elements: number;
      }>('mesher', 'mesh', {
        geometry: inputs.cad.geometry,
        ...settings.data,
      });
      return {
        meshId: structured.id,
        mesh: structured.mesh,
        nodes: structured.nodes,
        elements: structured.elements,
      };
    },
  });

  /** The linear-elastic plane-stress solve of a design (solver tool server). */
  const feaExecutor = feaExecutorOf(inputs.executorEnv);
  const feaRun = asset({
    key: 'fea_run',
    group: 'simulation',
    ...(feaExecutor === undefined ? {} : { executor: feaExecutor }),
    description: 'Finite-element solve under the tip load; fields stored as an artifact',
    codeVersion: '2',
    partitions: perDesign,
    deps: { mesh, point: designPoint, materials: materialProperties },
    automation: 'eager',
    schema: z.object({
      runId: z.string(),
      fields: artifactRefSchema,
      tipDeflectionM: z.number(),
      maxVonMisesPa: z.number(),
      massKg: z.number(),
      safetyFactor: z.number(),
      /** Root reactions and applied load (resultants, moments about the root): equilibrium. */
      reactions: forceSchema,
      appliedLoad: forceSchema,
    }),
    compute: async ({ inputs, tools, metadata }) => {
      const { structured } = await tools.call<{
        id: string;
        fields: ArtifactRef;
        tip_deflection_m: number;
        max_von_mises_pa: number;
        mass_kg: number;
        safety_factor: number;
        equations: number;
        reactions: ToolForces;
        applied_load: ToolForces;
      }>('solver', 'solve', {
        mesh: inputs.mesh.mesh,
        material: materialOf(inputs.materials, inputs.point.material),
        tip_load_n: inputs.point.tip_load_n,
      });
      metadata({ equations: structured.equations });
      return {
        runId: structured.id,
        fields: structured.fields,
        tipDeflectionM: structured.tip_deflection_m,
        maxVonMisesPa: structured.max_von_mises_pa,
        massKg: structured.mass_kg,
        safetyFactor: structured.safety_factor,
        reactions: forcesOf(structured.reactions),
        appliedLoad: forcesOf(structured.applied_load),
      };
    },
  });

  /** The numbers a person compares designs by. */
  const metrics = asset({
    key: 'metrics',
    group: 'results',
    description: 'Tip deflection, maximum von Mises stress, mass and safety factor of a design',
    codeVersion: '1',
    automation: 'eager',
    partitions: perDesign,
    deps: { run: feaRun, point: designPoint },
    schema: z.object({
      material: z.string(),
      tipDeflectionM: z.number(),
      maxVonMisesPa: z.number(),
      massKg: z.number(),
      safetyFactor: z.number(),
    }),
    compute: ({ inputs, metadata }) => {
      const { tipDeflectionM, maxVonMisesPa, massKg, safetyFactor } = inputs.run;
      metadata({
        tip_deflection_mm: tipDeflectionM * 1e3,
        max_von_mises_mpa: maxVonMisesPa / 1e6,
        mass_kg: massKg,
        safety_factor: safetyFactor,
      });
      return {
        material: inputs.point.material,
        tipDeflectionM,
        maxVonMisesPa,
        massKg,
        safetyFactor,
      };
    },
  });

  const frontSchema = z.object({
    front: z.array(z.object({ key: z.string(), massKg: z.number(), tipDeflectionM: z.number() })),
    recommended: z.string().nullable(),
    /** The recommended design's safety factor against yield (null: none recommended). */
    recommendedSafetyFactor: z.number().nullable(),
    reason: z.string(),
    plot: artifactRefSchema,
  });

  /** The non-dominated designs of `byDesign`, the recommendation and a plot (an artifact). */
  async function paretoResult(
    byDesign: Readonly<
      Record<string, { massKg: number; tipDeflectionM: number; safetyFactor: number }>
    >,
    space: DesignSpace,
    ctx: Pick<AssetContext, 'artifacts' | 'metadata'>,
    title: string,
  ): Promise<z.output<typeof frontSchema>> {
    const points = Object.entries(byDesign).map(([key, m]) => ({
      key,
      massKg: m.massKg,
      tipDeflectionM: m.tipDeflectionM,
      safetyFactor: m.safetyFactor,
    }));
    const front = paretoFront(points);
    const recommendation = recommend(points, space.limits);
    const plot = await ctx.artifacts.put(
      'pareto-front.svg',
      paretoPlotSvg(points, front, recommendation.design, {
        title,
        maxTipDeflectionM: space.limits.max_tip_deflection_m,
      }),
      'image/svg+xml',
    );
    ctx.metadata({
      designs: points.length,
      front_size: front.length,
      recommended: recommendation.design?.key ?? null,
    });
    return {
      front: front.map((p) => ({ key: p.key, massKg: p.massKg, tipDeflectionM: p.tipDeflectionM })),
      recommended: recommendation.design?.key ?? null,
      recommendedSafetyFactor: recommendation.design?.safetyFactor ?? null,
      reason: recommendation.reason,
      plot,
    };
  }

  /** The non-dominated designs (mass vs tip deflection), the recommendation, and a plot. */
  const paretoFrontAsset = asset({
    key: 'pareto_front',
    group: 'results',
    description: 'Pareto front of mass vs tip deflection, recommended design and an SVG plot',
    codeVersion: '2',
    automation: 'eager',
    // The design review reads the recommendation: it must never be more than a week old
    // (`strata status` shows it; `strata status --check-freshness` exits 1 when it fails).
    freshness: { maxLag: '7d', warnAfter: '5d' },
    deps: { metrics: allPartitions(metrics), space: designSpace },
    schema: frontSchema,
    compute: (ctx) =>
      paretoResult(
        ctx.inputs.metrics,
        ctx.inputs.space,
        ctx,
        'Cantilever study: mass vs tip deflection',
      ),
  });

  /** The Pareto front of one DOE's designs: what the baseline, or one plan, found. */
  const planParetoFront = asset({
    key: 'plan_pareto_front',
    group: 'results',
    description: "Pareto front of one DOE's designs (the baseline's, or a plan's), with a plot",
    codeVersion: '2',
    automation: 'eager',
    partitions: doePartitions,
    deps: { metrics: producedBySamePartition(metrics), space: designSpace },
    schema: frontSchema,
    compute: (ctx) =>
      paretoResult(
        ctx.inputs.metrics,
        ctx.inputs.space,
        ctx,
        `Cantilever study, ${ctx.partitionKey}: mass vs tip deflection`,
      ),
  });

  // The study plans may vary (docs/plans.md): the space of assets/design-space.json. A file
  // that does not parse declares none; materializing design_space says what is wrong with it.
  const space = (() => {
    try {
      return parseDesignSpace(designSpaceFile.text, designSpaceFile.path);
    } catch (error) {
      if (error instanceof DesignSpaceError) return undefined;
      throw error;
    }
  })();
  const studies =
    space === undefined
      ? []
      : [
          study({
            key: 'bracket',
            ...(space.description === undefined ? {} : { description: space.description }),
            variables: space.variables,
            levels: { material: [...space.materials] },
            assets: [
              designs,
              designPoint,
              cadRevision,
              mesh,
              feaRun,
              metrics,
              paretoFrontAsset,
              planParetoFront,
            ],
            designs,
          }),
        ];

  return defineAssets(
    [
      materialProperties,
      designSpace,
      designs,
      designPoint,
      cadRevision,
      mesh,
      feaRun,
      metrics,
      paretoFrontAsset,
      planParetoFront,
    ],
    {
      tools: exampleToolServers(inputs.toolEnv),
      studies,
      checks: studyChecks({ mesh, feaRun, paretoFronts: [paretoFrontAsset, planParetoFront] }),
    },
  );
}
