// Declaring assets: the errors of asset() and defineAssets() (and their hints), partition
// mapping resolution, the code version heuristic, and the typing of ctx.inputs.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  producedBySamePartition,
  asset,
  defineAssets,
  dynamicPartitions,
  producedPartitions,
  staticPartitions,
  type AnyAssetDefinition,
  type AssetDefinition,
} from '../../src/definitions/index.js';
import { DefinitionError } from '../../src/errors.js';

const n = z.number();
const colours = staticPartitions(['red', 'blue']);
const sizes = staticPartitions(['s', 'm']);

/** A minimal asset: only the options under test vary. */
function leaf(key: string, options: Partial<Parameters<typeof asset>[0]> = {}): AnyAssetDefinition {
  return asset({ key, schema: n, compute: () => 1, ...options });
}

/** The DefinitionError thrown by `run`. */
function definitionError(run: () => unknown): DefinitionError {
  try {
    run();
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  throw new Error('expected a DefinitionError');
}

describe('definition errors', () => {
  const cases: ReadonlyArray<{
    name: string;
    run: () => unknown;
    message: string | RegExp;
    hint?: string | RegExp;
  }> = [
    {
      name: 'duplicate keys',
      run: () => defineAssets([leaf('mesh'), leaf('other'), leaf('mesh')]),
      message: 'duplicate asset key mesh',
      hint: 'give each asset its own key',
    },
    {
      name: 'a dependency object that differs from the passed asset of the same key',
      run: () => {
        const mesh = leaf('mesh', { partitions: colours });
        return defineAssets([leaf('mesh'), leaf('solve', { deps: { mesh }, partitions: colours })]);
      },
      message: 'duplicate asset key mesh: asset solve depends on a different asset',
      hint: /give each asset its own key/,
    },
    {
      name: 'unknown dependency by string key',
      run: () => defineAssets([leaf('mesh'), leaf('solve', { deps: { mesh: 'mseh' } })]),
      message: 'asset solve depends on unknown asset mseh',
      hint: 'did you mean mesh?',
    },
    {
      name: 'dependency object not passed to defineAssets',
      run: () => {
        const mesh = leaf('mesh');
        return defineAssets([leaf('solve', { deps: { mesh } })]);
      },
      message: 'asset solve depends on mesh, which was not passed to defineAssets()',
      hint: 'add mesh to the list given to defineAssets()',
    },
    {
      name: 'partition producer not passed to defineAssets',
      run: () => {
        const designs = leaf('designs');
        const point = leaf('point', { partitions: producedPartitions(designs, () => ['p']) });
        return defineAssets([point]);
      },
      message: 'asset point is partitioned by the output of designs, which was not passed',
      hint: 'add designs to the list given to defineAssets()',
    },
    {
      name: 'cycle',
      run: () =>
        defineAssets([
          leaf('a', { deps: { c: 'c' } }),
          leaf('b', { deps: { a: 'a' } }),
          leaf('c', { deps: { b: 'b' } }),
        ]),
      message: 'dependency cycle: a -> c -> b -> a',
      hint: /cannot depend on itself/,
    },
    {
      name: 'self-dependency',
      run: () => defineAssets([leaf('a', { deps: { me: 'a' } })]),
      message: 'dependency cycle: a -> a',
    },
    {
      name: 'the same dependency twice',
      run: () => defineAssets([leaf('a'), leaf('b', { deps: { x: 'a', y: 'a' } })]),
      message: 'asset b depends on a twice',
    },
    {
      name: 'unpartitioned asset reading a partitioned one',
      run: () => {
        const p = leaf('p', { partitions: colours });
        return defineAssets([p, leaf('u', { deps: { p } })]);
      },
      message:
        'asset u, input p (p): p is partitioned but u is not, so it cannot read one partition',
      hint: 'use allPartitions(p) to read every partition',
    },
    {
      name: 'identity between different partition sets',
      run: () => {
        const p = leaf('p', { partitions: colours });
        return defineAssets([p, leaf('q', { deps: { p }, partitions: sizes })]);
      },
      message: 'q and p have different partition sets',
      hint: 'give both the same partitions, or use allPartitions(p)',
    },
    {
      name: 'allPartitions of an unpartitioned asset',
      run: () => {
        const u = leaf('u');
        return defineAssets([u, leaf('v', { deps: { u: allPartitions(u) } })]);
      },
      message: 'allPartitions() needs a partitioned dependency, but u is not partitioned',
      hint: 'depend on u directly',
    },
    {
      name: 'producer whose own partitions are produced',
      run: () => {
        const designs = leaf('designs');
        const plans = leaf('plans', { partitions: producedPartitions(designs, () => []) });
        return defineAssets([
          designs,
          plans,
          leaf('point', { partitions: producedPartitions(plans, () => []) }),
        ]);
      },
      message:
        'asset point is partitioned by the output of plans, whose own partitions are produced by designs',
      hint: 'a partitioned producer must have static or dynamic partitions',
    },
    {
      name: 'producedBySamePartition of a dependency not produced by a partitioned producer',
      run: () => {
        const p = leaf('p', { partitions: colours });
        return defineAssets([
          p,
          leaf('q', { partitions: colours, deps: { p: producedBySamePartition(p) } }),
        ]);
      },
      message:
        'asset q, input p (p): producedBySamePartition() needs a dependency partitioned by what a partitioned producer produces, but p is not',
      hint: 'use allPartitions(p) to read every partition',
    },
    {
      name: 'producedBySamePartition from an asset not partitioned like the producer',
      run: () => {
        const designs = leaf('designs', { partitions: colours });
        const point = leaf('point', { partitions: producedPartitions(designs, () => []) });
        return defineAssets([
          designs,
          point,
          leaf('front', { deps: { point: producedBySamePartition(point) } }),
        ]);
      },
      message:
        "asset front, input point (point): producedBySamePartition() needs front partitioned like designs, the producer of point's partitions",
      hint: 'give front the partitions of designs',
    },
    {
      name: 'uppercase key',
      run: () => leaf('Bad-Key'),
      message: 'invalid asset key "Bad-Key"',
      hint: /lowercase/,
    },
    { name: 'empty segment', run: () => leaf('a//b'), message: 'invalid asset key "a//b"' },
    { name: 'leading slash', run: () => leaf('/a'), message: 'invalid asset key "/a"' },
    { name: 'trailing slash', run: () => leaf('a/'), message: 'invalid asset key "a/"' },
    { name: 'overlong key', run: () => leaf('k'.repeat(201)), message: /^invalid asset key/ },
    {
      name: 'bad string dependency key',
      run: () => leaf('a', { deps: { x: 'Not A Key' } }),
      message: 'invalid asset key "Not A Key"',
    },
    {
      name: 'bad input name',
      run: () => leaf('a', { deps: { 'not-an-identifier': 'b' } }),
      message: 'is not an identifier',
    },
    {
      name: 'bad group',
      run: () => leaf('a', { group: 'Sim' }),
      message: 'group "Sim" must be lowercase',
    },
    {
      name: 'empty codeVersion',
      run: () => leaf('a', { codeVersion: '' }),
      message: 'codeVersion must be a non-empty string',
    },
    {
      name: 'undeclared pool',
      run: () => defineAssets([leaf('a', { pool: 'solver' })], { pools: { solvers: 2 } }),
      message: 'asset a uses pool solver, which is not declared',
      hint: 'did you mean solvers?',
    },
    {
      name: 'undeclared pool without a near match',
      run: () => defineAssets([leaf('a', { pool: 'gpu' })]),
      message: 'asset a uses pool gpu, which is not declared',
      hint: 'declare it: defineAssets([...], { pools: { gpu: 1 } })',
    },
    {
      name: 'bad pool limit',
      run: () => defineAssets([leaf('a')], { pools: { gpu: 0 } }),
      message: 'pool gpu: limit must be a positive integer, got 0',
    },
    {
      name: 'retry maxAttempts 0',
      run: () => leaf('a', { retry: { maxAttempts: 0 } }),
      message: 'asset a: retry.maxAttempts must be an integer from 1 to 100, got 0',
    },
    {
      name: 'retry maxAttempts fractional',
      run: () => leaf('a', { retry: { maxAttempts: 1.5 } }),
      message: 'retry.maxAttempts must be an integer',
    },
    {
      name: 'retry jitter',
      run: () => leaf('a', { retry: { jitter: 2 } }),
      message: 'retry.jitter must be a number from 0 to 1, got 2',
    },
    {
      name: 'retry backoff',
      run: () => leaf('a', { retry: { backoff: 'random' as 'fixed' } }),
      message: 'retry.backoff must be fixed, linear or exponential, got "random"',
    },
    {
      name: 'retry delay',
      run: () => leaf('a', { retry: { delay: 'soon' as '1s' } }),
      message: 'asset a: retry.delay: cannot read duration "soon"',
      hint: /500ms, 30s/,
    },
    {
      name: 'timeout',
      run: () => leaf('a', { timeout: -1 }),
      message: 'asset a: timeout: -1 is not a non-negative number',
    },
    {
      name: 'partition key with a space',
      run: () => staticPartitions(['a b']),
      message: 'partition key "a b" is invalid: it may only contain',
    },
    {
      name: 'empty partition key',
      run: () => staticPartitions(['']),
      message: 'partition key "" is invalid: it is empty',
    },
    {
      name: 'duplicate partition key',
      run: () => staticPartitions(['a', 'a']),
      message: 'partition key "a" appears twice',
    },
    {
      name: 'no partition keys',
      run: () => staticPartitions([]),
      message: 'the list of keys is empty',
    },
    {
      name: 'bad dynamic partitions name',
      run: () => dynamicPartitions('Bad Name'),
      message: 'dynamicPartitions: invalid name "Bad Name"',
    },
  ];

  it.each(cases)('$name', ({ run, message, hint }) => {
    const error = definitionError(run);
    if (typeof message === 'string') expect(error.message).toContain(message);
    else expect(error.message).toMatch(message);
    if (typeof hint === 'string') expect(error.hint).toBe(hint);
    else if (hint) expect(error.hint).toMatch(hint);
  });
});

describe('partition mappings', () => {
  const designs = asset({
    key: 'designs',
    schema: z.object({ points: z.array(z.string()) }),
    compute: () => ({ points: ['p1'] }),
  });
  const points = producedPartitions(designs, (v) => v.points);
  const config = leaf('config');
  const colour = leaf('colour', { partitions: colours });
  const shade = leaf('shade', { deps: { colour, config }, partitions: colours });
  const total = leaf('total', { deps: { shade: allPartitions(shade) } });
  const mesh = leaf('mesh', { deps: { designs }, partitions: points });
  const solve = leaf('solve', { deps: { mesh, configKey: 'config' }, partitions: points });
  const definitions = defineAssets([designs, config, colour, shade, total, mesh, solve]);

  it.each([
    [
      'shade',
      [
        ['colour', 'colour', 'identity'],
        ['config', 'config', 'single'],
      ],
    ],
    ['total', [['shade', 'shade', 'all']]],
    ['mesh', [['designs', 'designs', 'single']]],
    [
      'solve',
      [
        ['mesh', 'mesh', 'identity'],
        ['configKey', 'config', 'single'],
      ],
    ],
  ])('resolves the mappings of %s', (key, expected) => {
    const resolved = definitions.dependencies.get(key as never)!;
    expect(resolved.map((d) => [d.inputName, d.key, d.mapping])).toEqual(expected);
  });

  it('keeps assets in key order', () => {
    expect([...definitions.assets.keys()]).toEqual([
      'colour',
      'config',
      'designs',
      'mesh',
      'shade',
      'solve',
      'total',
    ]);
  });

  it('accepts the same definition twice', () => {
    expect([...defineAssets([config, config]).assets.keys()]).toEqual(['config']);
  });
});

describe('code version', () => {
  const make = (
    compute: () => number,
    options: { codeVersion?: string; schema?: z.ZodType } = {},
  ) => asset({ key: 'a', schema: options.schema ?? n, compute, codeVersion: options.codeVersion });

  it('is a stable hash of the compute source', () => {
    const first = make(() => 1);
    expect(first.codeVersionSource).toBe('heuristic');
    expect(first.codeVersion).toMatch(/^h:[0-9a-f]{16}$/);
    expect(make(() => 1).codeVersion).toBe(first.codeVersion);
  });

  it('changes when the compute source changes', () => {
    expect(make(() => 2).codeVersion).not.toBe(make(() => 1).codeVersion);
  });

  it('changes when the schema changes', () => {
    expect(make(() => 1, { schema: z.number().int() }).codeVersion).not.toBe(
      make(() => 1).codeVersion,
    );
  });

  it('is the declared one when declared', () => {
    const declared = make(() => 1, { codeVersion: 'v2' });
    expect(declared.codeVersion).toBe('v2');
    expect(declared.codeVersionSource).toBe('declared');
    expect(make(() => 2, { codeVersion: 'v2' }).codeVersion).toBe('v2');
  });
});

describe('typed inputs', () => {
  it('types ctx.inputs from the dependencies', () => {
    const schemaA = z.object({ area: z.number(), label: z.string().default('x') });
    const schemaP = z.string().transform((s) => s.length);
    const assetA = asset({ key: 'a', schema: schemaA, compute: () => ({ area: 1 }) });
    const assetP = asset({ key: 'p', schema: schemaP, partitions: colours, compute: () => 'abc' });
    expectTypeOf(assetA).toEqualTypeOf<AssetDefinition<typeof schemaA>>();

    const c = asset({
      key: 'c',
      deps: { a: assetA, all: allPartitions(assetP), raw: 'a' },
      schema: n,
      compute: (ctx) => {
        expectTypeOf(ctx.inputs.a).toEqualTypeOf<z.output<typeof schemaA>>();
        expectTypeOf(ctx.inputs.a).toEqualTypeOf<{ area: number; label: string }>();
        expectTypeOf(ctx.inputs.all).toEqualTypeOf<Readonly<Record<string, number>>>();
        expectTypeOf(ctx.inputs.raw).toBeUnknown();
        // @ts-expect-error no such input
        void ctx.inputs.missing;
        return ctx.inputs.a.area + Object.keys(ctx.inputs.all).length;
      },
    });
    expect(c.dependencies.map((d) => d.mapping)).toEqual(['auto', 'all', 'auto']);

    asset({
      key: 'd',
      schema: schemaA,
      // @ts-expect-error the compute function must return the schema's input type
      compute: () => ({ area: 'large' }),
    });
    asset({
      key: 'e',
      schema: n,
      // @ts-expect-error an async compute function must resolve to it too
      compute: async () => 'one',
    });
  });
});
