-- 0017: input requests (issue 14, docs/input-requests.md §3): a permission
-- OpenCode asks for, or a question it puts, while an attempt runs; a person
-- answers it from the inbox and the lease holder forwards the answer.
--
-- One row per OpenCode request of a session: UNIQUE (session_id,
-- open_code_request_id) lets the lease holder insert what it re-reads from
-- OpenCode after a re-attach with ON CONFLICT DO NOTHING (nothing lost,
-- nothing twice). payload is what was asked ({name, patterns, diff?,
-- command?} or {questions}), reply what was answered; answered_by the actor
-- as the audit log records it ({actor, keyId, userId}). expires_at null:
-- the request waits as long as the session runs. delivered_at: OpenCode took
-- the reply (or no longer holds the request).
--
-- The row has a tenant_id of its own (not only its session's): the inbox
-- lists a tenant's open rows across sessions, keyset-paginated on the partial
-- index below, which only open rows enter.

CREATE TABLE input_requests (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  session_id uuid NOT NULL REFERENCES sessions(id),
  attempt int NOT NULL,
  agent_id uuid NOT NULL REFERENCES agents(id),
  kind text NOT NULL CHECK (kind IN ('permission', 'question')),
  open_code_request_id text NOT NULL,
  open_code_session_id text NOT NULL,
  payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'rejected', 'expired', 'cancelled')),
  reply jsonb,
  answered_by jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  resolved_at timestamptz,
  delivered_at timestamptz,
  UNIQUE (session_id, open_code_request_id),
  -- Open means unresolved; every other status has its time.
  CHECK ((status = 'open') = (resolved_at IS NULL))
);

-- The inbox: a tenant's open requests, oldest first.
CREATE INDEX input_requests_inbox_idx ON input_requests (tenant_id, created_at, id) WHERE status = 'open';

ALTER TABLE input_requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON input_requests USING (tenant_id = orchestrator_current_tenant());
