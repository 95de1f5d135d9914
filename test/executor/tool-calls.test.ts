// Tool servers through ctx.tools: a real MCP server over stdio, started once per worker and
// kept alive, called with an idempotency key that survives retries (no work done twice), each
// call recorded in provenance, and a tool error failing the step with the tool's message.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, mcpStdioServer, staticPartitions } from '../../src/definitions/index.js';
import { loadProvenance } from '../../src/provenance/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { stepOf, summaryOf } from './helpers.js';

const database = useTestDatabase();
const SERVER = fileURLToPath(new URL('../fixtures/tools/counter-tool-server.ts', import.meta.url));

function counterTool() {
  const workLog = path.join(mkdtempSync(path.join(tmpdir(), 'strata-tool-')), 'work.log');
  writeFileSync(workLog, '');
  const server = mcpStdioServer({
    command: process.execPath,
    args: ['--import', 'tsx', SERVER],
    env: { WORK_LOG: workLog },
  });
  const work = (): string[][] =>
    readFileSync(workLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '));
  return { server, work };
}

async function toolCalls(runId: number) {
  return database.db
    .selectFrom('strata_internal.tool_calls')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
}

describe('tool calls', () => {
  it('are recorded with server, tool, version, argument hash, result id and duration; one server per worker', async () => {
    const counter = counterTool();
    const point = asset({
      key: 'point',
      codeVersion: '1',
      partitions: staticPartitions(['p1', 'p2', 'p3']),
      schema: z.number(),
      compute: async (ctx) => {
        const result = await ctx.tools.call<{ id: string; y: number }>('counter', 'double', {
          x: Number(ctx.partitionKey!.slice(1)),
        });
        return result.structured.y;
      },
    });
    const outcome = await run(database, graphOf([point], { tools: { counter: counter.server } }));
    const summary = summaryOf(outcome);
    expect(summary.status).toBe('succeeded');
    const calls = await toolCalls(summary.runId);
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call).toMatchObject({
        server: 'counter',
        tool: 'double',
        tool_version: '1.2.3',
        status: 'succeeded',
        error: null,
      });
      expect(call.argument_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(call.duration_ms).toBeGreaterThanOrEqual(0);
    }
    expect(calls.map((c) => c.result_id).sort()).toEqual(['double-1', 'double-2', 'double-3']);
    // One server process did all the work: started once, kept alive across steps.
    expect(new Set(counter.work().map(([pid]) => pid)).size).toBe(1);

    const step = stepOf(summary, 'point', 'p2');
    const provenance = await loadProvenance(database.db, step.materializationId!);
    expect(provenance.toolCalls).toMatchObject([
      { server: 'counter', tool: 'double', toolVersion: '1.2.3', resultId: 'double-2' },
    ]);
  });

  it('carry the same idempotency key when a step is retried, so the work is done once', async () => {
    const counter = counterTool();
    let attempts = 0;
    const flaky = asset({
      key: 'flaky',
      codeVersion: '1',
      retry: { maxAttempts: 2, delay: 10 },
      schema: z.number(),
      compute: async (ctx) => {
        const result = await ctx.tools.call<{ y: number }>('counter', 'double', { x: 21 });
        if (++attempts === 1) throw new Error('lost the connection after submitting');
        return result.structured.y;
      },
    });
    const summary = summaryOf(
      await run(database, graphOf([flaky], { tools: { counter: counter.server } })),
    );
    expect(summary.status).toBe('succeeded');
    const calls = await toolCalls(summary.runId);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.idempotency_key).toBe(calls[1]!.idempotency_key);
    expect(counter.work()).toHaveLength(1);
  });

  it('fail the step with the tool error message', async () => {
    const counter = counterTool();
    const broken = asset({
      key: 'broken',
      codeVersion: '1',
      schema: z.number(),
      compute: async (ctx) =>
        (await ctx.tools.call('counter', 'fail', { reason: 'mesh is inverted' })) && 1,
    });
    const summary = summaryOf(
      await run(database, graphOf([broken], { tools: { counter: counter.server } })),
    );
    expect(summary.status).toBe('failed');
    expect(stepOf(summary, 'broken').error).toBe(
      'tool counter.fail failed: cannot do it: mesh is inverted',
    );
    expect(await toolCalls(summary.runId)).toMatchObject([
      { tool: 'fail', status: 'failed', error: 'cannot do it: mesh is inverted' },
    ]);
  });
});

describe('a long tool call', () => {
  it('reports its progress in the step’s log: the first report, then one per half minute', async () => {
    const counter = counterTool();
    const solve = asset({
      key: 'reported_solve',
      codeVersion: '1',
      schema: z.number(),
      compute: async (ctx) =>
        (await ctx.tools.call<{ waitedMs: number }>('counter', 'wait', { ms: 400, reports: 3 }))
          .structured.waitedMs,
    });
    const summary = summaryOf(
      await run(database, graphOf([solve], { tools: { counter: counter.server } })),
    );
    expect(summary.status).toBe('succeeded');
    const logged = await database.db
      .selectFrom('strata_internal.events')
      .select(['level', 'message', 'data'])
      .where('run_id', '=', summary.runId)
      .where('message', 'like', 'counter.wait:%')
      .execute();
    expect(logged).toEqual([
      {
        level: 'info',
        message: 'counter.wait: report 1 of 3',
        data: { server: 'counter', tool: 'wait', progress: 1, total: 3 },
      },
    ]);
  });

  it(
    'outlasts the MCP SDK default request timeout of 60 s: the asset’s own timeout governs',
    { timeout: 120_000 },
    async () => {
      const counter = counterTool();
      const solve = asset({
        key: 'long_solve',
        codeVersion: '1',
        schema: z.number(),
        compute: async (ctx) =>
          (await ctx.tools.call<{ waitedMs: number }>('counter', 'wait', { ms: 61_000 })).structured
            .waitedMs,
      });
      const summary = summaryOf(
        await run(database, graphOf([solve], { tools: { counter: counter.server } })),
      );
      expect(summary.status).toBe('succeeded');
      const [call] = await toolCalls(summary.runId);
      expect(call).toMatchObject({ tool: 'wait', status: 'succeeded', error: null });
      expect(call!.duration_ms).toBeGreaterThanOrEqual(61_000);
    },
  );
});
