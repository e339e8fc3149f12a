-- 0012: what retention removed from a deleted session's remote (the work
-- remote, or the URL repository its checkpoints went to; core
-- remote-cleanup.ts). The branch goes at the first round after the deletion,
-- the immutable checkpoint refs once the deletion is older than the tenant's
-- retention_days. `remote_cleanup_tried_at` is when a replica last claimed
-- the session for it: a remote that is down is tried again in later rounds,
-- after the sessions not tried yet.

ALTER TABLE sessions ADD COLUMN remote_branch_removed_at timestamptz;
ALTER TABLE sessions ADD COLUMN remote_refs_removed_at timestamptz;
ALTER TABLE sessions ADD COLUMN remote_cleanup_tried_at timestamptz;

-- Deleted sessions with something left to remove, least recently tried first.
CREATE INDEX sessions_remote_cleanup_idx ON sessions (remote_cleanup_tried_at NULLS FIRST, deleted_at)
  WHERE deleted_at IS NOT NULL AND remote_refs_removed_at IS NULL;
