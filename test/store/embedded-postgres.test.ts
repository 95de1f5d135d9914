// The embedded PostgreSQL lifecycle on real servers in fresh temporary state directories:
// first start, reuse, restart with data kept, and concurrent starts from separate processes.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  embeddedServerStatus,
  ensureEmbeddedServer,
  stopEmbeddedServer,
} from '../../src/store/embedded-postgres.js';
import { embeddedLayout } from '../../src/store/embedded-layout.js';

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const moduleUrl = new URL('../../src/store/embedded-postgres.ts', import.meta.url).href;

const stateDirs: string[] = [];
async function freshStateDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'strata-embedded-test-'));
  stateDirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of stateDirs) {
    await stopEmbeddedServer(dir).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
});

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  const asRoot = process.getuid?.() === 0;
  it.runIf(asRoot)(
    'run as root, keeps its cluster where the postgres user can reach it when the project cannot be entered',
    async () => {
      const privateDir = await freshStateDir(); // mkdtemp: mode 0700, others cannot enter
      const stateDir = path.join(privateDir, 'project', '.strata');
      const layout = embeddedLayout(stateDir);
      expect(layout.serverDir.startsWith('/var/lib/strata/clusters/')).toBe(true);
      expect(layout.dataDir).toBe(path.join(layout.serverDir, 'data'));
      expect(layout.passwordFile.startsWith(stateDir)).toBe(true);
      try {
        const { url } = await ensureEmbeddedServer(stateDir);
        expect(await query(url, 'select 1 as one')).toEqual([{ one: 1 }]);
        expect((await embeddedServerStatus(stateDir)).dataDir).toBe(layout.dataDir);
        expect(await stopEmbeddedServer(stateDir)).toEqual({ stopped: true });
      } finally {
        await stopEmbeddedServer(stateDir).catch(() => {});
        await rm(layout.serverDir, { recursive: true, force: true });
      }
    },
  );
  if (!asRoot)
    console.info('skipped the relocation test: it needs root (the server then runs as postgres)');

  it('starts once, is reused, and restarts with its data kept', async () => {
    const dir = await freshStateDir();
    const { url } = await ensureEmbeddedServer(dir);
    expect(await query(url, 'select current_database() as db')).toEqual([{ db: 'strata' }]);
    // The server's log and password are the project's: readable by their owner only.
    const layout = embeddedLayout(dir);
    for (const file of [layout.logFile, layout.passwordFile])
      expect((await stat(file)).mode & 0o777, file).toBe(0o600);
    const first = await embeddedServerStatus(dir);
    expect(first.running).toBe(true);

    expect((await ensureEmbeddedServer(dir)).url).toBe(url);
    expect((await embeddedServerStatus(dir)).pid).toBe(first.pid);

    await query(url, 'create table kept (x int); insert into kept values (42)');
    expect(await stopEmbeddedServer(dir)).toEqual({ stopped: true });
    expect(await stopEmbeddedServer(dir)).toEqual({ stopped: false });
    expect((await embeddedServerStatus(dir)).running).toBe(false);

    const again = await ensureEmbeddedServer(dir);
    expect(again.url).toBe(url); // same port and password
    expect((await embeddedServerStatus(dir)).pid).not.toBe(first.pid);
    expect(await query(again.url, 'select x from kept')).toEqual([{ x: 42 }]);
  });

  it('starts exactly one server when two processes ask at once', async () => {
    const dir = await freshStateDir();
    const script = `const m = await import(${JSON.stringify(moduleUrl)});
      process.stdout.write(JSON.stringify(await m.ensureEmbeddedServer(${JSON.stringify(dir)})));`;
    const run = () =>
      execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: root,
      });
    const results = await Promise.all([run(), run()]);
    const urls = results.map((r) => (JSON.parse(r.stdout) as { url: string }).url);
    expect(urls[0]).toBe(urls[1]);
    expect(await query(urls[0]!, 'select 1 as one')).toEqual([{ one: 1 }]);
    const log = await readFile(embeddedLayout(dir).logFile, 'utf8');
    expect(log.match(/database system is ready to accept connections/g)).toHaveLength(1);
  });
});
