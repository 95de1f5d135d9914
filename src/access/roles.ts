// Who may do what: the roles of named API tokens and the capabilities each grants, declared
// once as data. The server checks a route's capability against the caller's role; later the plan
// approval gate checks `approve` the same way. `admin` is the role of the server's STRATA_TOKEN
// (and of anyone on a loopback server without tokens); named tokens get one of the others.

/** What a request may need. */
export const CAPABILITIES = ['read', 'run', 'propose', 'approve', 'manage_tokens'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** The roles a named token can have. */
export const TOKEN_ROLES = ['viewer', 'operator', 'approver', 'planner'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** Every role, the administrator's included. */
export type Role = TokenRole | 'admin';

/**
 * What each role may do. A viewer reads; an operator also launches, cancels and resumes runs;
 * an approver also approves plans; a planner (an AI planner's token) reads and proposes plans
 * but runs nothing and approves nothing; the administrator does everything, tokens included.
 */
export const ROLE_CAPABILITIES: Readonly<Record<Role, readonly Capability[]>> = {
  viewer: ['read'],
  operator: ['read', 'run'],
  approver: ['read', 'run', 'propose', 'approve'],
  planner: ['read', 'propose'],
  admin: CAPABILITIES,
};

/** Whether `role` grants `capability`. */
export function roleAllows(role: Role, capability: Capability): boolean {
  return ROLE_CAPABILITIES[role].includes(capability);
}

/** The roles that grant `capability`, for error messages ("needs operator, approver or admin"). */
export function rolesAllowing(capability: Capability): Role[] {
  return (Object.keys(ROLE_CAPABILITIES) as Role[]).filter((role) => roleAllows(role, capability));
}
