// queueSchemaIsCurrent(): the one query that lets a command skip graphile-worker's migrations is
// true only when the queue schema is exactly at the newest migration graphile-worker ships.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/store/connect.js';
import { migrateQueue, queueSchemaIsCurrent } from '../../src/store/migrate-queue.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';

let scratch: ScratchDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  handle = await createDatabase(scratch.url, { max: 2 });
});

afterAll(async () => {
  await handle?.close();
  await scratch?.drop();
});

describe('queueSchemaIsCurrent', () => {
  it('is false before the queue schema exists, true once migrated, false when behind or ahead', async () => {
    expect(await queueSchemaIsCurrent(handle.db)).toBe(false);
    await migrateQueue(handle.pool);
    expect(await queueSchemaIsCurrent(handle.db)).toBe(true);

    const { rows } = await sql<{ id: number }>`
      select max(id) as id from graphile_worker.migrations`.execute(handle.db);
    const newest = rows[0]!.id;
    await sql`delete from graphile_worker.migrations where id = ${newest}`.execute(handle.db);
    expect(await queueSchemaIsCurrent(handle.db)).toBe(false);
    await sql`insert into graphile_worker.migrations (id) values (${newest}), (${newest + 1})`.execute(
      handle.db,
    );
    expect(await queueSchemaIsCurrent(handle.db)).toBe(false);
  });
});
