// The Pareto plot: well-formed XML (checked by a tiny tag parser), every design present with its
// key, escaping, the limit line and the recommendation, and byte-identical output for the same data.
import { describe, expect, it } from 'vitest';
import { paretoFront, recommend, type ParetoPoint } from '../../assets/tools/doe/pareto.js';
import { escapeXml, paretoPlotSvg } from '../../assets/tools/doe/pareto-plot.js';

/**
 * Throws unless `xml` is one root element with balanced, properly nested tags, quoted
 * attributes, and no raw `<` or bare `&` in text. Returns the element names in document order.
 */
function checkXml(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  // Every character matches one alternative (a tag, text, or a stray '<'), so the loop consumes all.
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/gy;
  const stack: string[] = [];
  const names: string[] = [];
  let roots = 0;
  let match: RegExpExecArray | null;
  while ((match = token.exec(body)) !== null) {
    const [, closing, name, attributes, selfClosing, text, stray] = match;
    if (stray !== undefined)
      throw new Error(`malformed tag near ${body.slice(match.index, match.index + 40)}`);
    if (text !== undefined) {
      if (stack.length === 0 && text.trim() !== '')
        throw new Error(`text outside the root: ${text}`);
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(text)) throw new Error(`bare & in ${text}`);
      continue;
    }
    if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(attributes ?? ''))
      throw new Error(`bare & in ${attributes}`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
      continue;
    }
    if (stack.length === 0) roots++;
    names.push(name ?? '');
    if (!selfClosing) stack.push(name ?? '');
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return names;
}

function p(
  key: string,
  massKg: number,
  tipDeflectionM: number,
  extra: Partial<ParetoPoint> = {},
): ParetoPoint {
  return { key, massKg, tipDeflectionM, ...extra };
}

const designs: ParetoPoint[] = [
  p('d01', 12.5, 0.0058, { safetyFactor: 5.9 }),
  p('d02', 16.1, 0.045),
  p('d03', 13.1, 0.0032),
  p('d04', 36.2, 0.00055),
  p('d05', 24.5, 0.0027),
  p('d06', 43.3, 0.00045),
  p('d07', 38.4, 0.0098, { feasible: false }),
  p('d08', 14.7, 0.00058),
];
const limits = { max_tip_deflection_m: 0.01 };
const front = paretoFront(designs);
const recommended = recommend(front, limits).design;

function plot(points = designs): string {
  return paretoPlotSvg(points, paretoFront(points), recommend(paretoFront(points), limits).design, {
    maxTipDeflectionM: limits.max_tip_deflection_m,
  });
}

describe('checkXml (the test helper)', () => {
  it.each(['<a><b></a></b>', '<a>x & y</a>', '<a b=c/>', '<a/><b/>', '<a><b></a>', '<a>1 < 2</a>'])(
    'rejects %s',
    (xml) => {
      expect(() => checkXml(xml)).toThrow();
    },
  );

  it('accepts a small document', () => {
    expect(checkXml('<?xml version="1.0"?>\n<a x="1"><b/>t &amp; u</a>\n')).toEqual(['a', 'b']);
  });
});

describe('paretoPlotSvg', () => {
  const svg = plot();

  it('is a well-formed standalone SVG document', () => {
    expect(
      svg.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"',
      ),
    ).toBe(true);
    const names = checkXml(svg);
    expect(names[0]).toBe('svg');
    expect(names).toContain('polyline');
  });

  it('shows every design with its key on hover', () => {
    const titles = [...svg.matchAll(/<circle [^>]*><title>([^<]*)<\/title>/g)].map(
      (m) => m[1] ?? '',
    );
    for (const d of designs) expect(titles.some((t) => t.startsWith(`${d.key}: `))).toBe(true);
    expect(titles.find((t) => t.startsWith('d07:'))).toContain('(not feasible)');
    expect(titles.find((t) => t.startsWith('d01:'))).toBe(
      'd01: 12.5 kg, 5.8 mm, safety factor 5.9',
    );
  });

  it('draws the front, the recommendation, the limit, axes, a title and a legend', () => {
    expect(recommended?.key).toBe('d01');
    expect(svg).toMatch(/<g id="recommended">[\s\S]*>d01<\/text>/);
    expect(svg).toMatch(/<g id="limit"><line [^>]*stroke-dasharray=/);
    expect(svg).toContain('limit 10 mm');
    expect(svg).toContain('mass (kg)');
    expect(svg).toContain('tip deflection (mm, log scale)');
    expect(svg).toContain('<g id="legend"');
    expect(svg).toContain('Pareto front: mass vs tip deflection');
    expect(svg).toContain('8 designs, 5 on the front, recommended d01');
    const polyline = /<polyline points="([^"]*)"/.exec(svg)?.[1] ?? '';
    expect(polyline.split(' ')).toHaveLength(front.length);
  });

  it('is deterministic: same data, same bytes, whatever the input order', () => {
    expect(plot()).toBe(svg);
    expect(plot([...designs].reverse())).toBe(svg);
  });

  it('escapes keys and titles', () => {
    const tricky = [p('a<b&"c\'', 1, 0.001), p('plain', 2, 0.0005)];
    const out = paretoPlotSvg(tricky, paretoFront(tricky), null, {
      title: 'Beam & "bracket" <study>',
    });
    checkXml(out);
    expect(out).toContain(escapeXml('a<b&"c\''));
    expect(out).toContain('Beam &amp; &quot;bracket&quot; &lt;study&gt;');
    expect(out).toContain('recommended: none');
    expect(out).not.toContain('<g id="limit">');
  });

  it.each<[string, ParetoPoint[]]>([
    ['no designs', []],
    ['one design', [p('d01', 5, 0.002)]],
    ['identical designs', [p('d01', 5, 0.002), p('d02', 5, 0.002)]],
    ['a wide mass range', [p('d01', 0.5, 0.02), p('d02', 80, 0.00001)]],
  ])('stays well-formed with %s', (_name, points) => {
    const out = plot(points);
    checkXml(out);
    for (const q of points) expect(out).toContain(`<title>${q.key}: `);
    expect(out).not.toMatch(/NaN|Infinity|undefined/);
  });
});
