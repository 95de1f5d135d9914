// The human `strata why` lists the root causes it was given and says how many it left out.
import { describe, expect, it } from 'vitest';
import { createColors } from '../../src/cli/render/colors.js';
import { renderWhy } from '../../src/cli/render/why-view.js';
import type { AssetKey } from '../../src/definitions/index.js';
import type { RootCause, WhyDocument } from '../../src/planner/index.js';

const root = (partition: string): RootCause => ({
  key: 'mesh' as AssetKey,
  partition,
  status: 'missing',
  causes: [],
});

function document(listed: number, omitted: number): WhyDocument {
  return {
    key: 'summary' as AssetKey,
    partition: null,
    status: 'missing',
    latest: null,
    causes: [],
    rootCauses: Array.from({ length: listed }, (_, i) => root(`d${i + 1}`)),
    rootCausesOmitted: omitted,
    freshness: null,
    checks: [],
  };
}

describe('renderWhy root causes', () => {
  const cases = [
    { listed: 2, omitted: 0, last: '  mesh[d2] is missing: never materialized' },
    {
      listed: 2,
      omitted: 1,
      last: '  ... and 1 more root cause (strata why --json lists them all)',
    },
    {
      listed: 20,
      omitted: 7,
      last: '  ... and 7 more root causes (strata why --json lists them all)',
    },
  ];
  it.each(cases)('$listed listed, $omitted left out', ({ listed, omitted, last }) => {
    const lines = renderWhy(document(listed, omitted), createColors(false), new Date());
    expect(lines.filter((line) => line.startsWith('  mesh['))).toHaveLength(listed);
    expect(lines.at(-1)).toBe(last);
  });
});
