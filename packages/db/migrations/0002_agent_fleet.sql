-- 0002: the agent fleet — permissions, soft delete, tier history, breakers on runners.

ALTER TABLE agents ADD COLUMN permissions jsonb NOT NULL DEFAULT '[]';
ALTER TABLE agents ADD COLUMN maintenance_reason text;
ALTER TABLE agents ADD COLUMN deleted_at timestamptz;
-- A deleted agent keeps its row (sessions and attempts point at it); its name is free again.
ALTER TABLE agents DROP CONSTRAINT agents_tenant_id_name_key;
CREATE UNIQUE INDEX agents_name_idx ON agents (tenant_id, name) WHERE deleted_at IS NULL;
UPDATE agents SET breaker = breaker || '{"recent": [], "trialInFlight": false}'::jsonb;

CREATE TABLE agent_tier_history (
  agent_id uuid NOT NULL REFERENCES agents(id),
  at timestamptz NOT NULL DEFAULT now(),
  from_tier text,
  to_tier text NOT NULL,
  finished int NOT NULL,
  success_rate double precision NOT NULL,
  reason text NOT NULL
);
CREATE INDEX agent_tier_history_idx ON agent_tier_history (agent_id, at DESC);

ALTER TABLE runners ADD COLUMN breaker jsonb NOT NULL
  DEFAULT '{"state": "closed", "consecutiveFailures": 0, "recent": [], "openedAt": null, "cooldownSeconds": 60, "trialInFlight": false}';
ALTER TABLE runners ADD COLUMN deleted_at timestamptz;
ALTER TABLE runners DROP CONSTRAINT runners_tenant_id_name_key;
CREATE UNIQUE INDEX runners_name_idx ON runners (tenant_id, name) WHERE deleted_at IS NULL;
