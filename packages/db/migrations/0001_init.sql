-- 0001: tenants, runners, agents, sessions, attempts, session events, checkpoints.
-- Forward only; never edit once merged. Identical on PGlite and PostgreSQL.

CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  max_concurrent_sessions int NOT NULL DEFAULT 10,
  monthly_token_budget bigint,
  monthly_cost_budget_usd double precision,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Every row belongs to a tenant; until the security issue brings more, all work
-- runs in this one.
INSERT INTO tenants (id, name, slug) VALUES ('00000000-0000-4000-8000-000000000000', 'Default', 'default');

CREATE TABLE runners (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('managed', 'remote')),
  url text,
  version text,
  health text NOT NULL DEFAULT 'standby',
  owner_replica text,
  last_checked_at timestamptz,
  memory_bytes bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

CREATE TABLE agents (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  name text NOT NULL,
  type text NOT NULL,
  capabilities text[] NOT NULL DEFAULT '{}',
  model text,
  opencode_agent text NOT NULL DEFAULT 'build',
  system_prompt text,
  temperature double precision,
  max_concurrent int NOT NULL DEFAULT 2,
  runner_id uuid REFERENCES runners(id),
  status text NOT NULL DEFAULT 'active',
  maintenance boolean NOT NULL DEFAULT false,
  last_heartbeat_at timestamptz,
  last_assigned_at timestamptz,
  stats jsonb NOT NULL,
  tier text NOT NULL DEFAULT 'PROBATION',
  breaker jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  title text NOT NULL,
  prompt text NOT NULL,
  type text NOT NULL,
  priority text NOT NULL,
  status text NOT NULL,
  status_reason text,
  required_capabilities text[] NOT NULL DEFAULT '{}',
  preferred_agent_id uuid,
  agent_id uuid REFERENCES agents(id),
  workspace jsonb NOT NULL,
  model text,
  parent_session_id uuid REFERENCES sessions(id),
  task_id uuid,
  max_duration_seconds int NOT NULL,
  retry_policy jsonb NOT NULL,
  attempt int NOT NULL DEFAULT 0,
  not_before timestamptz,
  budget jsonb NOT NULL DEFAULT '{}',
  tags text[] NOT NULL DEFAULT '{}',
  metadata jsonb NOT NULL DEFAULT '{}',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  queued_at timestamptz,
  -- priority and ageing folded into one time (core computeDispatchKey)
  dispatch_key timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  status_updated_at timestamptz NOT NULL DEFAULT now(),
  metrics jsonb NOT NULL,
  result jsonb,
  error jsonb,
  -- a person's pause/resume/stop/cancel, carried out by the lease holder
  requested_action text,
  requested_action_payload jsonb,
  -- follow-up instructions not yet delivered to OpenCode (the lease holder sends them)
  pending_messages text[] NOT NULL DEFAULT '{}',
  -- created with start=false: admission skips it until POST /start
  held boolean NOT NULL DEFAULT false,
  fencing_token int NOT NULL DEFAULT 0,
  last_event_seq int NOT NULL DEFAULT 0,
  deleted_at timestamptz
);
-- The claim query reads only this partial index.
CREATE INDEX sessions_dispatch_idx ON sessions (dispatch_key, id) WHERE status = 'queued';
CREATE INDEX sessions_admission_idx ON sessions (tenant_id, not_before) WHERE status = 'pending' AND NOT held;
CREATE INDEX sessions_list_idx ON sessions (tenant_id, created_at DESC, id DESC);
CREATE INDEX sessions_status_idx ON sessions (tenant_id, status);
CREATE INDEX sessions_parent_idx ON sessions (parent_session_id) WHERE parent_session_id IS NOT NULL;
CREATE INDEX sessions_agent_active_idx ON sessions (agent_id) WHERE status IN ('running', 'degraded');
CREATE INDEX sessions_requested_idx ON sessions (id) WHERE requested_action IS NOT NULL;
-- Resumes are claimed like queued work; this keeps that query off the whole table.
CREATE INDEX sessions_resume_idx ON sessions (status_updated_at) WHERE status = 'paused' AND requested_action = 'resume';

CREATE TABLE attempts (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions(id),
  number int NOT NULL,
  fencing_token int NOT NULL,
  lease_owner text,
  lease_expires_at timestamptz,
  runner_id uuid REFERENCES runners(id),
  agent_id uuid REFERENCES agents(id),
  opencode_session_id text,
  -- this attempt's own tokens, cost and model calls, as OpenCode reported them
  usage jsonb,
  status text NOT NULL DEFAULT 'running',
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  error jsonb,
  UNIQUE (session_id, number)
);
CREATE INDEX attempts_lease_idx ON attempts (lease_expires_at) WHERE status = 'running';

CREATE TABLE session_events (
  session_id uuid NOT NULL REFERENCES sessions(id),
  seq int NOT NULL,
  type text NOT NULL,
  attempt int,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, seq)
);

CREATE TABLE checkpoints (
  session_id uuid NOT NULL REFERENCES sessions(id),
  seq int NOT NULL,
  attempt int NOT NULL,
  trigger text NOT NULL,
  opencode_message_id text,
  git_commit text,
  diff_stat jsonb NOT NULL,
  tokens jsonb NOT NULL,
  cost_usd double precision NOT NULL,
  created_at timestamptz NOT NULL,
  previous_hash text,
  hash text NOT NULL,
  PRIMARY KEY (session_id, seq)
);
