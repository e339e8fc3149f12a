-- 0020: indexes for the session timeline (issue 15 item 4; docs/session-timeline.md).
-- GET /sessions/stats/timeline reads the tenant's sessions that finished in a
-- range and the checkpoints written in it; without these both are full scans
-- of tables that only grow (retention never deletes sessions or checkpoints).

CREATE INDEX sessions_finished_idx ON sessions (tenant_id, finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX checkpoints_created_idx ON checkpoints (created_at);
