-- 0004: contexts — shared, versioned JSON documents (spec/domain.md, Contexts),
-- and the log of which keys each version changed (the 409 of a stale update names them).

CREATE TABLE contexts (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  scope text NOT NULL CHECK (scope IN ('session', 'agent', 'global', 'temporary')),
  session_id uuid REFERENCES sessions(id),
  agent_id uuid REFERENCES agents(id),
  name text,
  data jsonb NOT NULL DEFAULT '{}',
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  CHECK (jsonb_typeof(data) = 'object'),
  CHECK (scope <> 'session' OR session_id IS NOT NULL),
  CHECK (scope <> 'agent' OR agent_id IS NOT NULL),
  CHECK (scope IN ('session', 'temporary') OR session_id IS NULL),
  CHECK (scope IN ('agent', 'temporary') OR agent_id IS NULL),
  CHECK ((scope = 'temporary') = (expires_at IS NOT NULL))
);
-- One context per owner and name (an unnamed one is the owner's default: the one a session
-- writes back to). Temporary contexts are scratch space and may repeat.
CREATE UNIQUE INDEX contexts_owner_name_idx ON contexts (
  tenant_id, scope,
  coalesce(session_id, '00000000-0000-0000-0000-000000000000'::uuid),
  coalesce(agent_id, '00000000-0000-0000-0000-000000000000'::uuid),
  coalesce(name, '')
) WHERE scope <> 'temporary';
CREATE INDEX contexts_list_idx ON contexts (tenant_id, created_at DESC, id DESC);
CREATE INDEX contexts_session_idx ON contexts (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX contexts_agent_idx ON contexts (agent_id) WHERE agent_id IS NOT NULL;
CREATE INDEX contexts_expiry_idx ON contexts (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE context_changes (
  context_id uuid NOT NULL REFERENCES contexts(id) ON DELETE CASCADE,
  version int NOT NULL,
  -- dot paths the write added, modified or deleted
  paths text[] NOT NULL,
  -- what wrote it: create, patch, put_key, delete_key, merge, share, promote, write_back
  source text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (context_id, version)
);
