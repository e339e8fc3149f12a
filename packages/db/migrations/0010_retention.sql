-- 0010: retention. A tenant keeps its session events and audit entries for
-- `retention_days` (null: forever); every replica's retention loop deletes
-- older ones in small batches. OpenCode sessions of ended attempts are
-- deleted from the runner's store, and the attempt remembers it.

ALTER TABLE tenants ADD COLUMN retention_days int DEFAULT 90 CHECK (retention_days BETWEEN 1 AND 36500);

-- Expired events are found oldest first from where the last search stopped,
-- so a round reads only what aged since the previous one.
CREATE INDEX session_events_created_idx ON session_events (created_at);

ALTER TABLE attempts ADD COLUMN opencode_pruned_at timestamptz;
-- Attempts whose OpenCode session is still on a runner, by when they ended.
CREATE INDEX attempts_opencode_prune_idx ON attempts (finished_at) WHERE opencode_session_id IS NOT NULL AND opencode_pruned_at IS NULL;
