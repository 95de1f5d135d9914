// migrate(): applies fixture migrations once even when called concurrently, and refuses edited
// or unknown migrations. Also checks the real migrations and the queue schema install cleanly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { migrateQueue } from '../../src/store/migrate-queue.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';

let directory: string;
let scratch: ScratchDatabase;
const handles: DatabaseHandle[] = [];

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'strata-migrations-'));
  await writeFile(path.join(directory, '0001_first.sql'), 'create table first (id int);\n');
  await writeFile(
    path.join(directory, '0002_second.sql'),
    'create table second (id int);\ninsert into first values (1);\n',
  );
  scratch = await createScratchDatabase();
  for (let i = 0; i < 2; i++) handles.push(await createDatabase(scratch.url, { max: 2 }));
});

afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await scratch?.drop();
  await rm(directory, { recursive: true, force: true });
});

describe('migrate', () => {
  it('applies each migration once, also when called concurrently', async () => {
    const [a, b] = handles as [DatabaseHandle, DatabaseHandle];
    const results = await Promise.all([migrate(a.db, { directory }), migrate(b.db, { directory })]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['0001_first.sql', '0002_second.sql']);
    expect(await migrate(a.db, { directory })).toEqual({ applied: [] });
    const rows = await sql<{ n: number }>`select count(*) as n from first`.execute(a.db);
    expect(rows.rows).toEqual([{ n: 1 }]); // int8 arrives as a number
  });

  it('refuses a migration whose checksum changed, naming the file', async () => {
    const db = handles[0]!.db;
    await sql`update strata_meta.migrations set checksum = 'edited' where name = '0002_second.sql'`.execute(
      db,
    );
    await expect(migrate(db, { directory })).rejects.toThrow(/0002_second\.sql.*changed/);
  });

  it('refuses a database migrated by a newer strata', async () => {
    const db = handles[0]!.db;
    await sql`delete from strata_meta.migrations where name = '0002_second.sql'`.execute(db);
    await sql`insert into strata_meta.migrations (name, checksum) values ('9999_future.sql', 'x')`.execute(
      db,
    );
    await expect(migrate(db, { directory })).rejects.toThrow(/9999_future\.sql/);
  });

  it("applies strata's migrations and graphile-worker's, concurrently and idempotently", async () => {
    const fresh = await createScratchDatabase();
    const [a, b] = [await createDatabase(fresh.url), await createDatabase(fresh.url)];
    try {
      await Promise.all([migrate(a.db), migrate(b.db), migrateQueue(a.pool), migrateQueue(b.pool)]);
      expect(await migrate(a.db)).toEqual({ applied: [] });
      const jobs = await a.pool.query<{ id: string }>(
        `select id from graphile_worker.add_job('noop', '{}'::json)`,
      );
      expect(typeof jobs.rows[0]?.id).toBe('string'); // the queue's pool keeps pg's parsers
    } finally {
      await Promise.all([a.close(), b.close()]);
      await fresh.drop();
    }
  });
});
