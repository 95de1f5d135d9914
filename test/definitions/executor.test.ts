// The `executor` of an asset and the default executor of a pool: slurm({...}) is validated where
// it is used, so errors name the asset or the pool and the field.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, defineAssets, slurm } from '../../src/index.js';
import { executorOf } from '../../src/definitions/define-assets.js';

const solve = (options: Partial<Parameters<typeof asset>[0]> = {}) =>
  asset({ key: 'fea_solution', schema: z.number(), compute: () => 1, ...options });

describe('executor option', () => {
  it('records a validated slurm executor on the asset', () => {
    const definition = solve({
      executor: slurm({
        partition: 'fea',
        cpus: 16,
        memory: '64G',
        time: '4:00:00',
        extra: ['--exclusive'],
      }),
    });
    expect(definition.executor).toEqual({
      kind: 'slurm',
      partition: 'fea',
      cpus: 16,
      memory: '64G',
      time: '4:00:00',
      account: undefined,
      qos: undefined,
      extra: ['--exclusive'],
    });
    expect(executorOf(defineAssets([definition]), definition)).toBe(definition.executor);
  });

  it('runs in the worker without one', () => {
    const definition = solve();
    expect(definition.executor).toBeUndefined();
    expect(executorOf(defineAssets([definition]), definition)).toBeUndefined();
  });

  it('names the asset and the field in errors', () => {
    expect(() => solve({ executor: slurm({ memory: '4 GB' }) })).toThrow(
      'asset fea_solution: executor.memory: must be a size such as 4G, 512M or 2048 (MB)',
    );
    expect(() => solve({ executor: slurm({ time: '2h' }) })).toThrow(
      /^asset fea_solution: executor\.time: must be minutes \(90\), HH:MM:SS or D-HH:MM:SS$/,
    );
  });

  it("gives a pool default to its assets that declare none; an asset's own wins", () => {
    const pooled = solve({ pool: 'fea' });
    const own = asset({
      key: 'own',
      schema: z.number(),
      compute: () => 2,
      pool: 'fea',
      executor: slurm({ partition: 'big' }),
    });
    const local = asset({ key: 'local', schema: z.number(), compute: () => 3 });
    const definitions = defineAssets([pooled, own, local], {
      pools: { fea: 2 },
      poolExecutors: { fea: slurm({ partition: 'fea', time: 90 }) },
    });
    expect(executorOf(definitions, pooled)).toMatchObject({ partition: 'fea', time: '90' });
    expect(executorOf(definitions, own)).toMatchObject({ partition: 'big' });
    expect(executorOf(definitions, local)).toBeUndefined();
  });

  it('names the pool in errors, and refuses an executor for an undeclared pool', () => {
    const pooled = solve({ pool: 'fea' });
    expect(() =>
      defineAssets([pooled], { pools: { fea: 1 }, poolExecutors: { fea: slurm({ cpus: -1 }) } }),
    ).toThrow('pool fea: executor.cpus: must be at least 1');
    expect(() =>
      defineAssets([pooled], { pools: { fea: 1 }, poolExecutors: { fe: slurm({}) } }),
    ).toThrow(/poolExecutors\.fe: pool fe is not declared/);
  });
});
