// The arguments of tool calls in provenance (migrations/0020): a compute calling a real MCP tool
// server over stdio records what it sent, canonical and readable, in the same row as the call;
// credentials are redacted before anything is stored; arguments over 64 KiB leave a marker with
// their size and hash; the view strata.tool_calls shows the column, and provenance reads it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, mcpStdioServer } from '../../src/definitions/index.js';
import { loadProvenance, TOOL_ARGUMENTS_MAX_BYTES } from '../../src/provenance/index.js';
import { hashJson } from '../../src/util/canonical-json.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { stepOf, summaryOf } from './helpers.js';

const database = useTestDatabase();
const SERVER = fileURLToPath(new URL('../fixtures/tools/counter-tool-server.ts', import.meta.url));

function counterServer() {
  const workLog = path.join(mkdtempSync(path.join(tmpdir(), 'strata-tool-args-')), 'work.log');
  writeFileSync(workLog, '');
  return mcpStdioServer({
    command: process.execPath,
    args: ['--import', 'tsx', SERVER],
    env: { WORK_LOG: workLog },
  });
}

/** Runs one asset whose compute calls counter.double with `args`; its materialization id. */
async function callWith(key: string, args: Record<string, unknown>): Promise<number> {
  const caller = asset({
    key,
    codeVersion: '1',
    schema: z.number(),
    compute: async (ctx) =>
      (await ctx.tools.call<{ y: number }>('counter', 'double', args)).structured.y,
  });
  const summary = summaryOf(
    await run(database, graphOf([caller], { tools: { counter: counterServer() } })),
  );
  expect(summary.status).toBe('succeeded');
  return stepOf(summary, key).materializationId!;
}

/** The row of the view strata.tool_calls for a materialization. */
async function viewRow(materializationId: number) {
  const { rows } = await sql<{ arguments: unknown; argument_hash: string }>`
    select arguments, argument_hash from strata.tool_calls
    where materialization_id = ${materializationId}`.execute(database.db);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('tool call arguments', () => {
  it('are recorded with the call, readable in strata.tool_calls and in provenance', async () => {
    const args = { x: 21, mesh: { sha256: 'ab'.repeat(32), size: 1200 }, tags: ['a', 'b'] };
    const id = await callWith('sent', args);
    const row = await viewRow(id);
    expect(row.arguments).toEqual(args);
    expect(row.argument_hash).toBe(hashJson(args));
    const [call] = (await loadProvenance(database.db, id)).toolCalls;
    expect(call).toMatchObject({ server: 'counter', tool: 'double', arguments: args });
    // Canonical: keys sorted, as the hash sees them (jsonb alone would put short keys first).
    expect(Object.keys(call!.arguments as object)).toEqual(['mesh', 'tags', 'x']);
  });

  it('never store a credential: credential-like keys and strings are redacted', async () => {
    const args = {
      x: 2,
      api_key: 'sk-live-0123456789',
      solver: { Authorization: 'Bearer abcdefghijklmnop', clientSecret: { nested: 's3cr3t' } },
      licenses: [{ password: 'hunter2', seat: 4 }],
      database: 'postgres://solver:pa55word@db.example.com/runs',
      header: 'Bearer zyxwvutsrqponmlk',
      note: 'no secrets here',
      passes: 3,
    };
    const id = await callWith('secret', args);
    const row = await viewRow(id);
    expect(row.arguments).toEqual({
      x: 2,
      api_key: '[redacted]',
      solver: { Authorization: '[redacted]', clientSecret: '[redacted]' },
      licenses: [{ password: '[redacted]', seat: 4 }],
      database: 'postgres://solver:[redacted]@db.example.com/runs',
      header: '[redacted]',
      note: 'no secrets here',
      passes: 3,
    });
    // The hash (and so the idempotency key) is of the arguments as sent.
    expect(row.argument_hash).toBe(hashJson(args));
    const { rows } = await sql<{ text: string }>`
      select t::text as text from strata_internal.tool_calls t
      where materialization_id = ${id}`.execute(database.db);
    for (const secret of ['sk-live', 'abcdefghijklmnop', 's3cr3t', 'hunter2', 'pa55word', 'zyxw'])
      expect(rows[0]!.text).not.toContain(secret);
  });

  it('over 64 KiB are replaced by a marker naming their size and hash', async () => {
    const args = { x: 3, blob: 'é'.repeat(40_000), label: 'mesh' };
    const id = await callWith('large', args);
    const row = await viewRow(id);
    expect(row.arguments).toEqual({
      $strata: 'truncated',
      bytes: Buffer.byteLength(JSON.stringify({ blob: args.blob, label: 'mesh', x: 3 })),
      maxBytes: TOOL_ARGUMENTS_MAX_BYTES,
      argumentHash: hashJson(args),
      keys: ['blob', 'label', 'x'],
    });
  });

  it('keep a string jsonb cannot hold (NUL, a lone surrogate) readable instead of failing', async () => {
    const id = await callWith('odd', { x: 4, label: 'a\u0000b\uD800c' });
    expect((await viewRow(id)).arguments).toEqual({ x: 4, label: 'a\uFFFDb\uFFFDc' });
  });

  it('of calls recorded before strata kept them read as null', async () => {
    const id = await callWith('old', { x: 5 });
    await database.db
      .updateTable('strata_internal.tool_calls')
      .set({ arguments: null })
      .where('materialization_id', '=', id)
      .execute();
    const [call] = (await loadProvenance(database.db, id)).toolCalls;
    expect(call).toMatchObject({ arguments: null, argumentHash: hashJson({ x: 5 }) });
  });
});
