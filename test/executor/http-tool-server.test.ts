// Tool servers over Streamable HTTP (mcpHttpServer), against a real server process that demands a
// bearer token: calls carry the step's idempotency key and are recorded like a stdio server's,
// with the server's version; the token comes from the worker's environment, is sent, and is
// written nowhere (tool calls, events, step errors); a wrong or missing token fails the step with
// a message naming the server and the variable, never the token.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, mcpHttpServer, staticPartitions } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { summaryOf } from './helpers.js';

const database = useTestDatabase();
const SERVER = fileURLToPath(new URL('../fixtures/tools/http-counter-server.ts', import.meta.url));
const TOKEN = 'tok-3f9a1c-never-written-anywhere';
const workLog = path.join(mkdtempSync(path.join(tmpdir(), 'strata-http-tool-')), 'work.log');
let server: ChildProcessWithoutNullStreams;
let url: string;

beforeAll(async () => {
  writeFileSync(workLog, '');
  server = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { ...process.env, EXPECTED_TOKEN: TOKEN, WORK_LOG: workLog },
  });
  const port = await new Promise<string>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`the tool server exited (${code})`)));
    createInterface({ input: server.stdout }).on('line', (line) => {
      const match = /^listening on (\d+)$/.exec(line);
      if (match) resolve(match[1]!);
    });
  });
  url = `http://127.0.0.1:${port}/mcp`;
});
afterAll(() => {
  server?.kill('SIGKILL');
});

function doubling(key: string, tokenEnv: string) {
  const point = asset({
    key,
    codeVersion: '1',
    partitions: staticPartitions(['p1', 'p2']),
    retry: { maxAttempts: 1 },
    schema: z.number(),
    compute: async (ctx) => {
      const { structured } = await ctx.tools.call<{ y: number }>('cad', 'double', {
        x: Number(ctx.partitionKey!.slice(1)),
      });
      return structured.y;
    },
  });
  return graphOf([point], { tools: { cad: mcpHttpServer({ url, bearerTokenEnv: tokenEnv }) } });
}

/** Every text the database holds about runs, to look for the token in. */
async function everythingRecorded(): Promise<string> {
  const rows = await sql<{ t: string }>`
    select coalesce(string_agg(x::text, ' '), '') as t from (
      select to_jsonb(c) as x from strata_internal.tool_calls c
      union all select to_jsonb(e) from strata_internal.events e
      union all select to_jsonb(s) from strata_internal.steps s
      union all select to_jsonb(a) from strata_internal.attempts a
      union all select to_jsonb(d) from strata_internal.asset_definitions d) rows`.execute(
    database.db,
  );
  return rows.rows[0]!.t;
}

describe('a tool server over HTTP', () => {
  it('is called with idempotency keys and recorded, its token sent and written nowhere', async () => {
    process.env.TEST_CAD_TOKEN = TOKEN;
    try {
      const summary = summaryOf(await run(database, doubling('doubled', 'TEST_CAD_TOKEN')));
      expect(summary.status).toBe('succeeded');
      const calls = await database.db
        .selectFrom('strata_internal.tool_calls')
        .select(['server', 'tool', 'tool_version', 'result_id', 'status', 'idempotency_key'])
        .where('run_id', '=', summary.runId)
        .orderBy('result_id')
        .execute();
      expect(calls).toMatchObject([
        {
          server: 'cad',
          tool: 'double',
          tool_version: '2.0.0',
          result_id: 'double-1',
          status: 'succeeded',
        },
        {
          server: 'cad',
          tool: 'double',
          tool_version: '2.0.0',
          result_id: 'double-2',
          status: 'succeeded',
        },
      ]);
      // The server saw exactly the keys strata recorded, once each.
      const sent = readFileSync(workLog, 'utf8').split('\n').filter(Boolean).sort();
      expect(sent).toEqual(calls.map((c) => c.idempotency_key).sort());
      expect(await everythingRecorded()).not.toContain(TOKEN);
    } finally {
      delete process.env.TEST_CAD_TOKEN;
    }
  });

  it.each([
    {
      name: 'a wrong token',
      value: 'not-the-token',
      error: /tool server cad \(http:\/\/127\.0\.0\.1:\d+\/mcp\) is not reachable/,
    },
    {
      name: 'no token',
      value: undefined,
      error:
        /tool server cad \(http:\/\/127\.0\.0\.1:\d+\/mcp\) needs a token in \$TEST_CAD_TOKEN_2, which is not set/,
    },
  ])('fails the step with $name, naming the server', async ({ value, error }) => {
    if (value === undefined) delete process.env.TEST_CAD_TOKEN_2;
    else process.env.TEST_CAD_TOKEN_2 = value;
    try {
      const summary = summaryOf(
        await run(
          database,
          doubling(`refused_${value === undefined ? 'none' : 'wrong'}`, 'TEST_CAD_TOKEN_2'),
        ),
      );
      expect(summary.status).toBe('failed');
      const failed = summary.steps.filter((s) => s.status === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      for (const step of failed) expect(step.error).toMatch(error);
      if (value !== undefined) expect(await everythingRecorded()).not.toContain(value);
    } finally {
      delete process.env.TEST_CAD_TOKEN_2;
    }
  });
});
