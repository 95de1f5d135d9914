-- Named API tokens: who may use `strata serve` (and, later, approve plans), each with a role.
-- Only the sha256 of a token is stored: tokens are 256-bit random strings, so a fast hash is as
-- safe as a slow one, and a leak of this table gives nobody a token. A token is revoked, never
-- deleted, so the name that did something stays readable in what it did.
create table strata_internal.api_tokens (
  id bigint generated always as identity primary key,
  name text not null check (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
  role text not null check (role in ('viewer', 'operator', 'approver', 'planner')),
  token_sha256 bytea not null unique,
  created_at timestamptz not null default now(),
  created_by text not null,
  revoked_at timestamptz,
  revoked_by text,
  last_used_at timestamptz
);
-- One active token per name: a name stands for one person or one program.
create unique index api_tokens_active_name_idx
  on strata_internal.api_tokens (name) where revoked_at is null;

-- For data teams: who holds which role, without the hashes (docs/sql.md).
create view strata.api_tokens as
select id as token_id, name, role, created_at, created_by, revoked_at, revoked_by, last_used_at
from strata_internal.api_tokens;
