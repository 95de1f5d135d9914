// OpenLineage for the commands that run steps (materialize, worker, daemon, serve, observe,
// plan runs): when $STRATA_OPENLINEAGE_URL or $STRATA_OPENLINEAGE_FILE is set, the process
// delivers pending events to the sinks in the background, and, on exit, for a few more seconds
// (what is still pending then is delivered by the next configured process; docs/openlineage.md).
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { AssetGraph } from '../graph/index.js';
import {
  OPENLINEAGE_API_KEY_ENV,
  OPENLINEAGE_FILE_ENV,
  OPENLINEAGE_NAMESPACE_ENV,
  OPENLINEAGE_URL_ENV,
} from '../openlineage/env-names.js';
import type { LineageSettings } from '../openlineage/index.js';
import type { Database } from '../store/index.js';
import { hostName } from '../util/host-name.js';
import type { CommandContext } from './command.js';

/** How long a command waits on exit for its pending events to be delivered. */
export const FINISH_DELIVERY_MS = 5_000;

/** The settings of the process's environment; undefined when OpenLineage is not configured. */
export async function environmentLineageSettings(
  context: CommandContext,
): Promise<LineageSettings | undefined> {
  const env = context.io.env;
  const set = (name: string) => (env[name]?.trim() ?? '') !== '';
  // Loaded only when configured: most processes never pay for the module.
  if (!set(OPENLINEAGE_URL_ENV) && !set(OPENLINEAGE_FILE_ENV) && !set(OPENLINEAGE_API_KEY_ENV))
    return undefined;
  const { lineageSettingsOf } = await import('../openlineage/index.js');
  const file = env[OPENLINEAGE_FILE_ENV]?.trim();
  return lineageSettingsOf({
    url: env[OPENLINEAGE_URL_ENV],
    apiKey: env[OPENLINEAGE_API_KEY_ENV],
    file: file ? path.resolve(context.io.cwd, file) : undefined,
    namespace: env[OPENLINEAGE_NAMESPACE_ENV],
    host: hostName(env),
  });
}

/** Starts delivering to the configured sinks, if any, until the command exits. */
export async function startOpenLineage(
  context: CommandContext,
  db: Kysely<Database>,
  graph: AssetGraph,
): Promise<void> {
  const settings = await environmentLineageSettings(context);
  if (settings === undefined) return;
  const { DEFAULT_SETTLE_MS, graphSchemaFields, startLineageDelivery } =
    await import('../openlineage/index.js');
  const delivery = await startLineageDelivery(db, {
    sinks: settings.sinks,
    namespace: settings.namespace,
    schemaFieldsOf: graphSchemaFields(graph),
    batchSize: 500,
    settleMs: DEFAULT_SETTLE_MS,
    warn: (line) => context.note(line),
  });
  context.onExit(async () => {
    const pending = await delivery.finish(FINISH_DELIVERY_MS);
    for (const sink of pending) {
      context.note(
        `OpenLineage: events for ${sink} are still pending; the next strata process configured for it delivers them`,
      );
    }
  });
}
