// Automation policies: whether the automation daemon rebuilds an asset without anyone asking.
// `eager`: whenever a partition is missing or stale and what it needs upstream is fresh or is
// being rebuilt by automation in the same run. Without a policy an asset is never rebuilt
// automatically.
import { DefinitionError } from '../errors.js';

/** The policy as declared in asset({ automation }). */
export type AutomationPolicyInput = 'eager';

/** The policy as the daemon reads it. */
export type AutomationPolicy = { readonly kind: 'eager' };

const KINDS: readonly AutomationPolicyInput[] = ['eager'];

/** Validates a declared policy; `where` names the asset for the error. */
export function normalizeAutomationPolicy(
  input: unknown,
  where: string,
): AutomationPolicy | undefined {
  if (input === undefined) return undefined;
  if (input === 'eager') return { kind: 'eager' };
  throw new DefinitionError(
    `${where}: automation must be one of ${KINDS.map((k) => `'${k}'`).join(', ')}, not ${JSON.stringify(input)}`,
  );
}
