// The API of time-window and multi-dimensional partitions: the definition in an asset's JSON,
// the mapping of a dependency, the partitions listed, and a multi-dimensional key in a query
// (`|` percent-encoded).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  asset,
  byDimension,
  dailyPartitions,
  multiPartitions,
  staticPartitions,
} from '../../src/definitions/index.js';
import type { StrataApp } from '../../src/server/index.js';
import {
  AssetDetailResponse,
  MaterializationPage,
  PartitionPage,
} from '../../src/server/schemas/asset-schemas.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, tempArtifacts } from '../support/engine.js';
import { bodyOf, getJson, testApp } from './server-harness.js';

const database = useTestDatabase();
const days = dailyPartitions({ start: '2024-01-01', end: '2024-01-03', timezone: 'Europe/Berlin' });
const sales = asset({
  key: 'sales',
  partitions: multiPartitions({ date: days, region: staticPartitions(['eu', 'us']) }),
  schema: z.number(),
  compute: () => 1,
});
const total = asset({
  key: 'total',
  partitions: days,
  deps: { sales: byDimension(sales, { region: 'all' }) },
  schema: z.number(),
  compute: ({ inputs }) => Object.keys(inputs.sales).length,
});
const graph = graphOf([sales, total]);
let app: StrataApp;

beforeAll(async () => {
  await run(database, graph, { selection: 'sales' });
  app = testApp(database, graph, tempArtifacts());
});
afterAll(() => app.close());

describe('time-window partitions over the API', () => {
  it('shows the definition and the mapping', async () => {
    const detail = bodyOf(await getJson(app, '/api/assets/sales'), AssetDetailResponse);
    expect(detail.partitions).toEqual({
      kind: 'multi',
      dimensions: [
        {
          name: 'date',
          partitions: {
            kind: 'time-window',
            granularity: 'daily',
            cron: null,
            start: '2024-01-01T00:00',
            end: '2024-01-03T00:00',
            timezone: 'Europe/Berlin',
            endOffset: 0,
          },
        },
        { name: 'region', partitions: { kind: 'static', keys: ['eu', 'us'] } },
      ],
    });
    const reader = bodyOf(await getJson(app, '/api/assets/total'), AssetDetailResponse);
    expect(reader.dependencies).toEqual([{ inputName: 'sales', key: 'sales', mapping: 'windows' }]);
  });

  it('lists the partitions and reads one by its encoded key', async () => {
    const page = bodyOf(await getJson(app, '/api/assets/sales/partitions'), PartitionPage);
    expect(page.items.map((item) => item.partition)).toEqual([
      '2024-01-01|eu',
      '2024-01-01|us',
      '2024-01-02|eu',
      '2024-01-02|us',
    ]);
    const history = bodyOf(
      await getJson(
        app,
        `/api/assets/sales/materializations?partition=${encodeURIComponent('2024-01-02|us')}`,
      ),
      MaterializationPage,
    );
    expect(history.items).toHaveLength(1);
  });
});
