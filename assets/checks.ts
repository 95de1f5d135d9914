// The example study's asset checks: a mesh the solver can trust (element shape), a solve that is
// in equilibrium (the root reactions cancel the applied load), and a recommended design that
// does not yield. The first two are blocking: a solve never reads a bad mesh, and metrics never
// read a solve out of balance.
import { check, type AnyAssetDefinition, type ArtifactRef, type CheckDefinition } from 'strata';
import { z } from 'zod';
import { parseMesh } from './tools/fea/index.js';

/** A force resultant and its moment about the root (0, 0), counter-clockwise positive. */
export const forceSchema = z.object({ fxN: z.number(), fyN: z.number(), momentNm: z.number() });

/** The same as the solver tool answers it. */
export interface ToolForces {
  readonly fx_n: number;
  readonly fy_n: number;
  readonly moment_nm: number;
}

/** The tool's force resultant in the asset's names. */
export function forcesOf(f: ToolForces): z.output<typeof forceSchema> {
  return { fxN: f.fx_n, fyN: f.fy_n, momentNm: f.moment_nm };
}

/**
 * The largest element aspect ratio (longest over shortest corner edge) a Q8 element may have:
 * past about 4 it loses accuracy in bending (assets/tools/fea/mesh.ts); 5 leaves a margin.
 */
export const MAX_ELEMENT_ASPECT_RATIO = 5;
/** The smallest scaled Jacobian (sine of the corner angle) of any corner: 1 for rectangles. */
export const MIN_SCALED_JACOBIAN = 0.5;
/** Relative imbalance of forces and moments the equilibrium check accepts. */
export const EQUILIBRIUM_TOLERANCE = 1e-6;

interface Point {
  readonly x: number;
  readonly y: number;
}

/** The aspect ratio and smallest scaled Jacobian of a quadrilateral (corners counter-clockwise). */
export function quadQuality(corners: readonly Point[]): { aspect: number; jacobian: number } {
  const edges = corners.map((p, i) => {
    const q = corners[(i + 1) % corners.length]!;
    return { dx: q.x - p.x, dy: q.y - p.y };
  });
  const lengths = edges.map((e) => Math.hypot(e.dx, e.dy));
  let jacobian = Infinity;
  for (let i = 0; i < corners.length; i++) {
    const out = edges[i]!;
    const back = edges[(i + corners.length - 1) % corners.length]!;
    // At corner i: the edge leaving it and the reversed edge arriving, crossed.
    const cross = out.dx * -back.dy - out.dy * -back.dx;
    jacobian = Math.min(jacobian, cross / (lengths[i]! * lengths[(i + 3) % 4]!));
  }
  return { aspect: Math.max(...lengths) / Math.min(...lengths), jacobian };
}

/** The example's checks of `mesh`, `feaRun` and the Pareto-front assets. */
export function studyChecks(assets: {
  readonly mesh: AnyAssetDefinition;
  readonly feaRun: AnyAssetDefinition;
  readonly paretoFronts: readonly AnyAssetDefinition[];
}): CheckDefinition[] {
  const elementQuality = check({
    asset: assets.mesh,
    name: 'element_quality',
    description: `every element has aspect ratio <= ${MAX_ELEMENT_ASPECT_RATIO} and scaled Jacobian >= ${MIN_SCALED_JACOBIAN}`,
    blocking: true,
    run: async ({ value, artifacts }) => {
      const stored = (value as { mesh: ArtifactRef }).mesh;
      const mesh = parseMesh((await artifacts.read(stored)).toString('utf8'));
      let worstAspect = 0;
      let worstJacobian = Infinity;
      for (const element of mesh.elements) {
        const corners = element.slice(0, 4).map((node) => mesh.nodes[node]!);
        const { aspect, jacobian } = quadQuality(corners);
        worstAspect = Math.max(worstAspect, aspect);
        worstJacobian = Math.min(worstJacobian, jacobian);
      }
      return {
        passed: worstAspect <= MAX_ELEMENT_ASPECT_RATIO && worstJacobian >= MIN_SCALED_JACOBIAN,
        description: `max aspect ratio ${worstAspect.toFixed(2)}, min scaled Jacobian ${worstJacobian.toFixed(3)} over ${mesh.elements.length} elements`,
        metadata: {
          max_aspect_ratio: worstAspect,
          min_scaled_jacobian: worstJacobian,
          elements: mesh.elements.length,
        },
      };
    },
  });

  const equilibrium = check({
    asset: assets.feaRun,
    name: 'equilibrium',
    description: `root reactions cancel the applied load (forces and moment, within ${EQUILIBRIUM_TOLERANCE} relative)`,
    blocking: true,
    run: ({ value }) => {
      const { reactions, appliedLoad } = value as {
        reactions: z.output<typeof forceSchema>;
        appliedLoad: z.output<typeof forceSchema>;
      };
      const force = Math.hypot(appliedLoad.fxN, appliedLoad.fyN);
      const forceImbalance =
        Math.hypot(reactions.fxN + appliedLoad.fxN, reactions.fyN + appliedLoad.fyN) / force;
      const momentImbalance =
        Math.abs(reactions.momentNm + appliedLoad.momentNm) / Math.abs(appliedLoad.momentNm);
      return {
        passed: forceImbalance <= EQUILIBRIUM_TOLERANCE && momentImbalance <= EQUILIBRIUM_TOLERANCE,
        description: `force imbalance ${forceImbalance.toExponential(2)}, moment imbalance ${momentImbalance.toExponential(2)} (relative)`,
        metadata: {
          force_imbalance: forceImbalance,
          moment_imbalance: momentImbalance,
          reaction_fy_n: reactions.fyN,
          applied_fy_n: appliedLoad.fyN,
        },
      };
    },
  });

  const safeRecommendations = assets.paretoFronts.map((front) =>
    check({
      asset: front,
      name: 'recommended_is_safe',
      description: 'the recommended design does not yield: safety factor >= 1',
      run: ({ value }) => {
        const { recommended, recommendedSafetyFactor } = value as {
          recommended: string | null;
          recommendedSafetyFactor: number | null;
        };
        if (recommended === null || recommendedSafetyFactor === null)
          return { passed: true, description: 'no design is recommended' };
        return {
          passed: recommendedSafetyFactor >= 1,
          description: `${recommended}: safety factor ${recommendedSafetyFactor.toFixed(2)}`,
          metadata: { recommended, safety_factor: recommendedSafetyFactor },
        };
      },
    }),
  );

  return [elementQuality, equilibrium, ...safeRecommendations];
}
