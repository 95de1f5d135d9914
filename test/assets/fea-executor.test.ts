// The studies' FEA steps go to Slurm by configuration, with no code change: $STRATA_FEA_SLURM
// (the cantilever study's fea_run) and $STRATA_CAE_SLURM (the CAE study's plate/fea_run) hold
// slurm()'s options as JSON (assets/fea-executor.ts); without them the worker computes them.
import { describe, expect, it } from 'vitest';
import { definePlateStudy } from '../../assets/bracket/study.js';
import { CAE_SLURM_ENV, FEA_SLURM_ENV } from '../../assets/fea-executor.js';
import { defineStudy } from '../../assets/study.js';
import { studyFile } from '../../assets/study-files.js';
import { assetKey } from '../../src/index.js';

const studyWith = (env: Record<string, string>) =>
  defineStudy({
    designSpaceFile: studyFile('design-space.json'),
    meshSettingsFile: studyFile('mesh-settings.json'),
    executorEnv: env,
  });

describe('fea_run executor', () => {
  it('runs in the worker by default', () => {
    expect(studyWith({}).assets.get(assetKey('fea_run'))!.executor).toBeUndefined();
  });

  it('runs as a Slurm job with the options of $STRATA_FEA_SLURM', () => {
    const definitions = studyWith({
      [FEA_SLURM_ENV]: '{"partition":"fea","cpus":4,"memory":"8G","time":"30:00"}',
    });
    expect(definitions.assets.get(assetKey('fea_run'))!.executor).toMatchObject({
      kind: 'slurm',
      partition: 'fea',
      cpus: 4,
      memory: '8G',
      time: '30:00',
    });
    // Only the solve: the other steps still run in the worker.
    expect(definitions.assets.get(assetKey('mesh'))!.executor).toBeUndefined();
  });

  it.each([
    ['{"memory":"8 GB"}', /^asset fea_run: executor\.memory: must be a size such as 4G/],
    ['{"partiton":"fea"}', /^asset fea_run: executor: unknown option "partiton"/],
    ['partition=fea', /^STRATA_FEA_SLURM is not JSON/],
    ['["fea"]', /^STRATA_FEA_SLURM must be a JSON object/],
  ])('refuses %s, saying what is wrong', (value, message) => {
    expect(() => studyWith({ [FEA_SLURM_ENV]: value })).toThrow(message);
  });
});

const plateStudyWith = (env: Record<string, string>) =>
  definePlateStudy({
    designSpaceFile: studyFile('bracket/design-space.json'),
    materialsFile: studyFile('material-properties.json'),
    versions: { gmsh: '4.8.4', ccx: '2.20' },
    toolEnv: {},
    executorEnv: env,
  });

describe('plate/fea_run executor', () => {
  it('runs in the worker by default, and $STRATA_FEA_SLURM is not its variable', () => {
    const envs: Record<string, string>[] = [{}, { [FEA_SLURM_ENV]: '{"partition":"fea"}' }];
    for (const env of envs)
      expect(plateStudyWith(env).assets.get(assetKey('plate/fea_run'))!.executor).toBeUndefined();
  });

  it('runs as a Slurm job with the options of $STRATA_CAE_SLURM, and only the solve', () => {
    const definitions = plateStudyWith({
      [CAE_SLURM_ENV]: '{"partition":"cae","cpus":2,"time":"20:00"}',
    });
    expect(definitions.assets.get(assetKey('plate/fea_run'))!.executor).toMatchObject({
      kind: 'slurm',
      partition: 'cae',
      cpus: 2,
      time: '20:00',
    });
    for (const key of ['plate/mesh', 'plate/metrics', 'plate/pareto_front'])
      expect(definitions.assets.get(assetKey(key))!.executor).toBeUndefined();
  });

  it.each([
    ['{"memory":"8 GB"}', /^asset plate\/fea_run: executor\.memory: must be a size such as 4G/],
    ['partition=cae', /^STRATA_CAE_SLURM is not JSON/],
    ['"cae"', /^STRATA_CAE_SLURM must be a JSON object/],
  ])('refuses %s, naming $STRATA_CAE_SLURM or the asset', (value, message) => {
    expect(() => plateStudyWith({ [CAE_SLURM_ENV]: value })).toThrow(message);
  });
});
