-- 0008: row-level security, the second wall of tenant isolation (docs/security.md,
-- Tenant isolation). Every query of @industrial/db already names its tenant;
-- these policies make a forgotten WHERE leak nothing.
--
-- RLS binds neither a superuser nor the tables' owner, so tenant-scoped work
-- runs as `orchestrator_tenant`: forTenant() opens each transaction with
-- `SET LOCAL ROLE orchestrator_tenant` and `set_config('app.tenant_id', <id>, true)`.
-- The owner connection (the scheduler, admission, lease adoption, fleet
-- gauges, the WebSocket hub's routing) bypasses the policies on purpose and
-- says so in its code (bypassTenantWall).
--
-- Child tables without a tenant_id (attempts, session_events and checkpoints
-- under sessions; agent_tier_history under agents; context_changes under
-- contexts) get a policy through EXISTS on their parent rather than a column
-- of their own: the parent already says which tenant a row belongs to, a
-- copy could disagree with it, and the event log needs no backfill.

-- Roles belong to the cluster, not the database: every database of a
-- PostgreSQL server (tests clone one per file) shares this one, so its
-- creation is idempotent and tolerates a concurrent migration creating it too.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orchestrator_tenant') THEN
    CREATE ROLE orchestrator_tenant NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

-- SET ROLE needs membership unless the connecting user is a superuser.
GRANT orchestrator_tenant TO current_user;

GRANT USAGE ON SCHEMA public TO orchestrator_tenant;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, runners, agents, sessions, attempts, session_events, checkpoints,
  agent_tier_history, contexts, context_changes, tasks, task_dependencies, users, api_keys, audit_log TO orchestrator_tenant;
-- Tables of later migrations are granted too; a test fails when one of them is
-- readable by the role without row-level security.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO orchestrator_tenant;

-- The tenant of the transaction; NULL (no row passes) when it was never set.
-- After a SET LOCAL the setting reads as '' outside the transaction, hence NULLIF.
CREATE OR REPLACE FUNCTION orchestrator_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = orchestrator_current_tenant());

ALTER TABLE runners ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON runners USING (tenant_id = orchestrator_current_tenant());

ALTER TABLE agents ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agents USING (tenant_id = orchestrator_current_tenant());

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions USING (tenant_id = orchestrator_current_tenant());

ALTER TABLE contexts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contexts USING (tenant_id = orchestrator_current_tenant());

ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tasks USING (tenant_id = orchestrator_current_tenant());

ALTER TABLE task_dependencies ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_dependencies USING (tenant_id = orchestrator_current_tenant());

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users USING (tenant_id = orchestrator_current_tenant());

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys USING (tenant_id = orchestrator_current_tenant());

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log USING (tenant_id = orchestrator_current_tenant());

-- Children: visible and writable only under a parent of the tenant.
ALTER TABLE attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON attempts USING (
  EXISTS (SELECT 1 FROM sessions s WHERE s.id = attempts.session_id AND s.tenant_id = orchestrator_current_tenant()));

ALTER TABLE session_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON session_events USING (
  EXISTS (SELECT 1 FROM sessions s WHERE s.id = session_events.session_id AND s.tenant_id = orchestrator_current_tenant()));

ALTER TABLE checkpoints ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON checkpoints USING (
  EXISTS (SELECT 1 FROM sessions s WHERE s.id = checkpoints.session_id AND s.tenant_id = orchestrator_current_tenant()));

ALTER TABLE agent_tier_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agent_tier_history USING (
  EXISTS (SELECT 1 FROM agents a WHERE a.id = agent_tier_history.agent_id AND a.tenant_id = orchestrator_current_tenant()));

ALTER TABLE context_changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON context_changes USING (
  EXISTS (SELECT 1 FROM contexts c WHERE c.id = context_changes.context_id AND c.tenant_id = orchestrator_current_tenant()));
