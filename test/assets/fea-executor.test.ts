// The example's FEA step goes to Slurm by configuration, with no code change: $STRATA_FEA_SLURM
// holds slurm()'s options as JSON (assets/fea-executor.ts); without it the worker computes it.
import { describe, expect, it } from 'vitest';
import { FEA_SLURM_ENV } from '../../assets/fea-executor.js';
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
