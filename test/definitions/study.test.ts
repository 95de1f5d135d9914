// study(): what experiment plans may vary, declared beside the assets; bad declarations are
// refused when the definitions load, naming the study and what is wrong (table-driven).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, defineAssets, study, type StudySpec } from '../../src/definitions/index.js';

const designs = asset({ key: 'designs', schema: z.number(), compute: () => 1 });
const valid: StudySpec = {
  key: 'bracket',
  variables: { height_m: { min: 0.06, max: 0.2 } },
  levels: { material: ['steel', 'titanium'] },
  assets: [designs],
};

describe('study()', () => {
  it('declares a study that defineAssets keeps by key', () => {
    const definitions = defineAssets([designs], { studies: [study(valid)] });
    expect(definitions.studies.get('bracket')).toMatchObject({
      key: 'bracket',
      variables: { height_m: { min: 0.06, max: 0.2 } },
      levels: { material: ['steel', 'titanium'] },
      assets: ['designs'],
    });
    expect(defineAssets([designs]).studies.size).toBe(0);
  });

  it.each<[string, Partial<StudySpec>, RegExp]>([
    [
      'bounds the wrong way round',
      { variables: { height_m: { min: 1, max: 1 } } },
      /study "bracket": min must be less than max at variables.height_m.max/,
    ],
    ['no variables', { variables: {} }, /declare at least one variable/],
    [
      'a level twice',
      { levels: { material: ['steel', 'steel'] } },
      /a level is listed twice at levels.material/,
    ],
    [
      'a variable both ways',
      { levels: { height_m: ['low'] } },
      /height_m is declared both as a continuous variable and with levels/,
    ],
    ['a bad key', { key: 'has space' }, /study "has space": letters, digits, _ and - at key/],
  ])('refuses %s', (_case, change, message) => {
    expect(() => study({ ...valid, ...change })).toThrow(message);
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'an unknown asset',
      () => defineAssets([designs], { studies: [study({ ...valid, assets: ['desings'] })] }),
      /study bracket: unknown asset "desings"/,
    ],
    [
      'a key twice',
      () => defineAssets([designs], { studies: [study(valid), study(valid)] }),
      /study bracket is declared twice/,
    ],
    [
      'something else',
      () => defineAssets([designs], { studies: [{} as never] }),
      /studies are declared with study/,
    ],
  ])('defineAssets refuses %s', (_case, define, message) => {
    expect(define).toThrow(message);
  });
});
