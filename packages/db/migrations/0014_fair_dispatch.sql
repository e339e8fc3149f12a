-- 0014: a fair scheduler (README, "Scheduling"). Each tenant's weight in the
-- share of running slots when several tenants have queued work (default 1:
-- equal shares). The queued sessions of one tenant in dispatch order, so that
-- dispatch reads each tenant's head without walking the others' sessions,
-- and finds the tenants with queued work by skipping from one to the next.

ALTER TABLE tenants ADD COLUMN weight double precision NOT NULL DEFAULT 1 CHECK (weight > 0 AND weight <= 1000);

CREATE INDEX sessions_queued_tenant_idx ON sessions (tenant_id, dispatch_key, id) WHERE status = 'queued';
