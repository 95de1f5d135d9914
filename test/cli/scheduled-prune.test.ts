// The daemon's and the server's scheduled prune (src/cli/scheduled-prune.ts): with a retention it
// prunes after its first delay and says so on stderr, again at every interval, and stops with the
// command; without one it does nothing.
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/command.js';
import { startScheduledPrune } from '../../src/cli/scheduled-prune.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();
const DAY_MS = 24 * 60 * 60 * 1000;

/** The part of a command's context the prune uses. */
function fakeContext(now: Date) {
  const notes: string[] = [];
  const exits: (() => Promise<void> | void)[] = [];
  const context = {
    now: () => now,
    note: (line: string) => notes.push(line),
    onExit: (cleanup: () => Promise<void> | void) => exits.push(cleanup),
  } as unknown as CommandContext;
  return { context, notes, exit: () => Promise.all(exits.map((cleanup) => cleanup())) };
}

async function oldEvent(now: Date): Promise<void> {
  await database.db
    .insertInto('strata_internal.events')
    .values({
      run_id: null,
      kind: 'log',
      message: 'old',
      created_at: new Date(now.getTime() - 40 * DAY_MS),
    })
    .execute();
}

async function eventCount(): Promise<number> {
  const row = await database.db
    .selectFrom('strata_internal.events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('startScheduledPrune', () => {
  const timing = { firstAfterMs: 10, everyMs: 50 };

  it('prunes after its first delay, then at every interval, until the command exits', async () => {
    const now = new Date();
    const { context, notes, exit } = fakeContext(now);
    await oldEvent(now);
    startScheduledPrune(context, database.db, 30 * DAY_MS, 'strata daemon d1', timing);
    await expect.poll(eventCount, { timeout: 5_000 }).toBe(0);
    await expect.poll(() => notes.length).toBe(1);
    expect(notes[0]).toBe(
      'strata daemon d1: pruned 1 event(s) and 0 automation tick(s) older than 30d',
    );
    await oldEvent(now);
    await expect.poll(eventCount, { timeout: 5_000 }).toBe(0);
    await exit();
    await oldEvent(now);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await eventCount()).toBe(1);
  });

  it('does nothing without a retention', async () => {
    const now = new Date();
    const { context, notes } = fakeContext(now);
    const before = await eventCount();
    startScheduledPrune(context, database.db, undefined, 'strata serve', timing);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await eventCount()).toBe(before);
    expect(notes).toEqual([]);
  });
});
