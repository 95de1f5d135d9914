// The read-only database role of docs/deployment.md ("Database roles"), created by running the
// SQL block of that page as written (a unique role name and password substituted): it reads the
// strata views, including a view added after it was created, and neither reads the tables behind
// them nor writes; strata's own migration check refuses it with a message that says why.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/errors.js';
import { createDatabase } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();
const role = `strata_reader_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');

/** The ```sql block of the "Database roles" section, for `role` and `password`. */
function documentedGrants(): string {
  const doc = readFileSync(new URL('../../docs/deployment.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Database roles'));
  const block = /```sql\n([\s\S]*?)```/.exec(section);
  if (block === null) throw new Error('docs/deployment.md has no sql block under Database roles');
  return block[1]!.replaceAll('strata_reader', role).replaceAll('CHANGE-ME', password);
}

async function asReader<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(database.url);
  url.username = role;
  url.password = password;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function sqlState(client: pg.Client, statement: string): Promise<string | undefined> {
  try {
    await client.query(statement);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

afterAll(async () => {
  await sql`drop owned by ${sql.id(role)}`.execute(database.db);
  await sql`drop role if exists ${sql.id(role)}`.execute(database.db);
});

describe('the read-only role of docs/deployment.md', () => {
  it('reads the strata views, also one added later, and nothing else', async () => {
    await sql.raw(documentedGrants()).execute(database.db);
    await sql`create view strata.added_later as select 1 as one`.execute(database.db);

    await asReader(async (client) => {
      for (const view of ['materializations', 'runs', 'events', 'lineage_edges', 'added_later']) {
        const result = await client.query(`select count(*) from strata.${view}`);
        expect(result.rows, view).toHaveLength(1);
      }
      expect(await sqlState(client, 'select * from strata_internal.materializations')).toBe(
        '42501',
      );
      expect(
        await sqlState(client, `insert into strata_internal.runs (status) values ('running')`),
      ).toBe('42501');
      const writes = await client.query<{ allowed: boolean }>(
        `select bool_or(has_table_privilege(c.oid, p)) as allowed
         from pg_class c join pg_namespace n on n.oid = c.relnamespace,
           unnest(array['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) as p
         where n.nspname = 'strata'`,
      );
      expect(writes.rows[0]!.allowed).toBe(false);
    });
  });

  it("is refused by strata's commands with a message naming why", async () => {
    const url = new URL(database.url);
    url.username = role;
    url.password = password;
    const handle = await createDatabase(url.toString());
    try {
      const refused = migrate(handle.db);
      await expect(refused).rejects.toBeInstanceOf(EnvironmentError);
      await expect(refused).rejects.toThrow(/may not read strata's schema version/);
    } finally {
      await handle.close();
    }
  });
});
