// Commands made of actions (`strata db start`, `strata tokens create`): the first positional
// names the action; an unknown one is an argument error with the closest name.
import { didYouMean } from '../util/closest.js';
import { ArgumentError } from './argument-error.js';
import type { CommandContext } from './command.js';

/** Runs the handler the first argument names (its exit status), or refuses an unknown action. */
export async function runAction<A extends string>(
  context: CommandContext,
  command: string,
  handlers: Readonly<Record<A, (context: CommandContext) => Promise<number | void>>>,
): Promise<number | void> {
  const action = context.args[0]!;
  const actions = Object.keys(handlers);
  if (!Object.hasOwn(handlers, action)) {
    throw new ArgumentError(`unknown action ${JSON.stringify(action)} for strata ${command}`, {
      hint: didYouMean(action, actions) ?? `the actions are ${actions.join(', ')}`,
    });
  }
  return handlers[action as A](context);
}
