// `strata lineage sinks [--forget SINK]`: the OpenLineage sinks this database delivers to, how
// far each was delivered and how many events wait; --forget drops a sink no longer used, so
// that `strata events prune` may delete the events it never received.
import { forgetSink, listSinkCursors } from '../../openlineage/index.js';
import { NotFoundError } from '../../errors.js';
import type { CommandContext } from '../command.js';
import { renderTable } from '../render/table.js';

/** Lists the sinks, or forgets one. */
export async function runLineageSinks(context: CommandContext): Promise<void> {
  const { db } = await context.database();
  const forget = context.flags.string('forget');
  if (forget !== undefined) {
    if (!(await forgetSink(db, forget)))
      throw new NotFoundError(`no OpenLineage sink ${JSON.stringify(forget)}`, {
        hint: 'strata lineage sinks lists them',
      });
    context.print(`forgot OpenLineage sink ${forget}`);
    return;
  }
  const cursors = await listSinkCursors(db);
  if (context.json) return context.printJson(cursors);
  if (cursors.length === 0) return context.print('no OpenLineage sinks');
  context.print(
    ...renderTable([
      ['SINK', 'DELIVERED UP TO EVENT', 'PENDING EVENTS', 'LAST DELIVERY'],
      ...cursors.map((c) => [
        c.sink,
        String(c.deliveredEventId),
        String(c.pendingEvents),
        c.deliveredAt?.toISOString() ?? '-',
      ]),
    ]),
  );
}
