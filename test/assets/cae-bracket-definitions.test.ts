// The CAE study's definitions (assets/bracket/), without running a tool: the Gmsh and CalculiX
// versions are in the code versions of exactly the assets they compute (an upgraded solver makes
// its results stale), the `cae` server is told its scratch directory explicitly (a stdio server
// inherits no STRATA_* variable) or reached over HTTP, and the design points are valid plates
// whose first N never move when the sample grows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definePlateStudy } from '../../assets/bracket/study.js';
import { parsePlateSpace, plateDesigns } from '../../assets/bracket/plate-space.js';
import { studyFile, studyFileOf } from '../../assets/study-files.js';
import { caeToolServer } from '../../assets/tool-servers.js';

const SPACE_PATH = new URL('../../assets/bracket/design-space.json', import.meta.url);
const spaceText = readFileSync(SPACE_PATH, 'utf8');

function codeVersions(versions: { gmsh: string; ccx: string }): Record<string, string> {
  const definitions = definePlateStudy({
    designSpaceFile: studyFileOf('design-space.json', spaceText),
    materialsFile: studyFile('material-properties.json'),
    versions,
    toolEnv: {},
  });
  return Object.fromEntries(
    [...definitions.assets.values()].map((a) => [String(a.key), a.codeVersion]),
  );
}

describe('the CAE study`s definitions', () => {
  it('put the Gmsh and CalculiX versions in the code versions of what they compute', () => {
    const base = codeVersions({ gmsh: '4.8.4', ccx: '2.20' });
    expect(Object.keys(base).sort()).toEqual([
      'plate/cad_revision',
      'plate/design_point',
      'plate/designs',
      'plate/fea_run',
      'plate/mesh',
      'plate/metrics',
      'plate/pareto_front',
    ]);
    const changed = (other: Record<string, string>) =>
      Object.keys(base).filter((key) => base[key] !== other[key]);
    expect(changed(codeVersions({ gmsh: '4.8.4', ccx: '2.21' }))).toEqual(['plate/fea_run']);
    expect(changed(codeVersions({ gmsh: '4.11.1', ccx: '2.20' }))).toEqual([
      'plate/cad_revision',
      'plate/mesh',
    ]);
    expect(base['plate/fea_run']).toMatch(/^1\/ccx-2\.20\//);
  });

  it('give the cae server its scratch directory, or reach it over HTTP', () => {
    const stdio = caeToolServer({ STRATA_HOME: '/srv/project/.strata' });
    expect(stdio).toMatchObject({
      kind: 'mcp-stdio',
      artifactStore: true,
      env: { STRATA_CAE_WORK: '/srv/project/.strata/cae-work' },
    });
    expect(stdio.kind === 'mcp-stdio' && stdio.args.at(-1)).toMatch(
      /assets\/tools\/cae-server\.ts$/,
    );
    expect(caeToolServer({ STRATA_CAE_WORK: '/scratch/cae' })).toMatchObject({
      env: { STRATA_CAE_WORK: '/scratch/cae' },
    });
    expect(caeToolServer({ STRATA_CAE_URL: 'http://cae-host:8940/mcp' })).toEqual({
      kind: 'mcp-http',
      url: 'http://cae-host:8940/mcp',
      headers: {},
      bearerTokenEnv: undefined,
    });
  });

  it('sample valid plates, the first N the same whatever the sample size', () => {
    const space = parsePlateSpace(spaceText, 'design-space.json');
    const all = plateDesigns(space);
    expect(all).toHaveLength(16);
    for (const design of all) {
      const ratio = design.hole_diameter_mm / design.width_mm;
      expect(ratio).toBeGreaterThanOrEqual(space.variables.hole_ratio.min - 1e-3);
      expect(ratio).toBeLessThanOrEqual(space.variables.hole_ratio.max + 1e-3);
      expect(design.length_mm).toBeCloseTo(space.length_over_width * design.width_mm, 2);
    }
    expect(plateDesigns({ ...space, samples: 3 })).toEqual(all.slice(0, 3));
    expect(() => parsePlateSpace('{"samples": 0}', 'bad.json')).toThrow(/^bad\.json: samples: /);
  });
});
