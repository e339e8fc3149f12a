-- 0007: users, API keys and the audit log (docs/security.md); the tenant's
-- model allow-list; who created a task (members control only their own).

CREATE TABLE users (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  name text NOT NULL,
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'member', 'lead', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE UNIQUE INDEX users_email_idx ON users (tenant_id, lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX users_list_idx ON users (tenant_id, created_at, id) WHERE deleted_at IS NULL;

-- Only the HMAC of a key is kept; `prefix` (public, unique) finds the row and
-- the hash is then compared in constant time.
CREATE TABLE api_keys (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  user_id uuid REFERENCES users(id),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'member', 'lead', 'admin')),
  prefix text NOT NULL UNIQUE,
  key_hash text NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  -- The first admin key (generated at first start, or ORCHESTRATOR_ADMIN_KEY):
  -- at most one row per database, so replicas starting together make one.
  bootstrap boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX api_keys_bootstrap_idx ON api_keys (bootstrap) WHERE bootstrap;
CREATE INDEX api_keys_list_idx ON api_keys (tenant_id, created_at, id);
CREATE INDEX api_keys_user_idx ON api_keys (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE audit_log (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  at timestamptz NOT NULL DEFAULT now(),
  key_id uuid,
  user_id uuid,
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  status int NOT NULL,
  request_id text NOT NULL
);
CREATE INDEX audit_log_list_idx ON audit_log (tenant_id, at DESC, id DESC);

-- Models a tenant's sessions and agents may name; null: any.
ALTER TABLE tenants ADD COLUMN allowed_models text[];

ALTER TABLE tasks ADD COLUMN created_by text;
