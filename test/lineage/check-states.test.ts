// The blocked state and check verdicts of the lineage UI without a browser: the graph's columns
// decoded with blocked appended at the end of the state names (the server reports a partition
// whose step failed a blocking check as blocked, not failed), group counts, the catalog's status
// facet, and a partition's verdicts summed up.
import { describe, expect, it } from 'vitest';
import type { CheckResult, GraphColumns } from '../../lineage/src/api/types.js';
import { parseCatalogQuery } from '../../lineage/src/catalog/catalog-query.js';
import { verdictOf, verdictsInWords, worstVerdict } from '../../lineage/src/check-verdicts.js';
import { stateCounts } from '../../lineage/src/graph/asset-groups.js';
import { decodeGraph } from '../../lineage/src/graph/graph-data.js';

/** Columns of GET /api/graph for three unpartitioned-or-not assets in a row. */
function columns(): GraphColumns {
  const three = (a: number, b: number, c: number) => [a, b, c];
  return {
    evaluatedAt: '2026-12-03T16:00:00.000Z',
    keys: ['settings', 'mesh', 'solve'],
    groupNames: ['default'],
    group: three(0, 0, 0),
    layer: three(0, 1, 2),
    row: three(0, 0, 0),
    partitioned: three(0, 1, 1),
    source: three(0, 0, 0),
    automationKinds: [],
    automation: three(-1, -1, -1),
    // 'blocked' is appended at the end: older codes keep their meaning.
    stateNames: ['fresh', 'stale', 'missing', 'running', 'failed', 'empty', 'blocked'],
    state: three(0, 6, 2),
    statusNames: ['fresh', 'stale', 'missing', 'empty', 'blocked'],
    status: three(0, 4, 2),
    fresh: three(1, 15, 15),
    stale: three(0, 0, 0),
    missing: three(0, 0, 1),
    blocked: three(0, 1, 0),
    running: three(0, 0, 0),
    failed: three(0, 0, 0),
    total: three(1, 16, 16),
    causeNames: ['check', 'code', 'dependencies', 'data', 'upstream'],
    mainCause: three(-1, 0, -1),
    reasons: ['blocking check aspect_ratio failed on materialization 11'],
    mainReason: three(-1, 0, -1),
    awaitingProducer: three(-1, -1, -1),
    freshness: [],
    edges: [0, 1, 1, 2],
    producerEdges: [],
    layout: { width: 0, height: 0 },
    totals: {
      assets: 3,
      fresh: 31,
      stale: 0,
      missing: 1,
      blocked: 1,
      running: 0,
      failed: 0,
      partitions: 33,
      freshness: { pass: 0, warn: 0, fail: 0 },
    },
  } as unknown as GraphColumns;
}

describe('the graph document', () => {
  it('decodes the blocked state and column', () => {
    const graph = decodeGraph(columns());
    const mesh = graph.nodes[1]!;
    expect(mesh.status.status).toBe('blocked');
    expect(mesh.status.state).toBe('blocked');
    expect(mesh.status.blocked).toBe(1);
    expect(mesh.status.mainCause).toBe('check');
    expect(stateCounts(graph.nodes, [0, 1, 2])).toEqual({
      fresh: 1,
      stale: 0,
      missing: 1,
      running: 0,
      failed: 0,
      blocked: 1,
      empty: 0,
    });
  });
});

describe('the catalog', () => {
  it('takes blocked as a status facet', () => {
    expect(parseCatalogQuery('status=blocked').status).toBe('blocked');
  });
});

/** A verdict with defaults. */
function verdict(fields: Partial<CheckResult>): CheckResult {
  return {
    check: 'aspect_ratio',
    passed: true,
    severity: 'error',
    blocking: false,
    description: null,
    metadata: {},
    error: null,
    checkVersion: '1',
    outdated: false,
    materializationId: 11,
    runId: 1,
    evaluatedAt: '2026-12-03T16:00:00.000Z',
    ...fields,
  };
}

describe('check verdicts', () => {
  it('tells a warning, a failure and a blocking failure apart', () => {
    expect(verdictOf(verdict({}))).toBe('passed');
    expect(verdictOf(verdict({ passed: false, severity: 'warn' }))).toBe('warn');
    expect(verdictOf(verdict({ passed: false }))).toBe('failed');
    expect(verdictOf(verdict({ passed: false, blocking: true }))).toBe('blocking');
  });

  it("sums a partition's verdicts up by the worst", () => {
    expect(worstVerdict([])).toBeNull();
    const passed = verdict({});
    const warned = verdict({ check: 'smooth', passed: false, severity: 'warn' });
    const blocking = verdict({ passed: false, blocking: true });
    expect(worstVerdict([passed, warned])).toBe('warn');
    expect(worstVerdict([warned, blocking, passed])).toBe('blocking');
    expect(verdictsInWords([passed])).toBe('its check passed');
    expect(verdictsInWords([passed, verdict({ check: 'smooth' })])).toBe('2 checks passed');
    expect(verdictsInWords([passed, warned])).toBe('1 of 2 checks warned');
    expect(verdictsInWords([blocking, warned])).toBe('1 of 2 checks failed (blocking)');
  });
});
