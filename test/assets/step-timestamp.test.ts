// A STEP header's time stamp fixed so the same part exports to the same bytes: the stamp, and
// only the stamp, is replaced, whatever the file name holds; a file without a header is refused.
import { describe, expect, it } from 'vitest';
import { STEP_TIMESTAMP, withFixedTimestamp } from '../../assets/tools/cae/step-timestamp.js';

const header = (name: string, stamp: string) =>
  `ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('Open CASCADE Model'),'2;1');\nFILE_NAME('${name}','${stamp}',('Author'),(\n    'Open CASCADE'),'Open CASCADE STEP processor 7.6','Open CASCADE 7.6'\n  ,'Unknown');\nENDSEC;\nDATA;\n#1 = PRODUCT('2026-12-03T22:24:07','',''),#2);\n`;

describe('withFixedTimestamp', () => {
  it.each([
    ['Open CASCADE Shape Model', '2026-12-03T22:24:07'],
    ["it''s a part", '2025-01-31T23:59:59'],
    ['', '2026-12-03T22:24:07+01:00'],
  ])('FILE_NAME(%j, %j, ...): the stamp only', (name, stamp) => {
    const fixed = withFixedTimestamp(header(name, stamp));
    expect(fixed).toBe(header(name, STEP_TIMESTAMP));
  });

  it('refuses a file without a FILE_NAME header', () => {
    expect(() => withFixedTimestamp('ISO-10303-21;\nDATA;\nENDSEC;\n')).toThrow(/not a STEP file/);
  });
});
