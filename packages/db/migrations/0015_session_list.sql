-- 0015: the session list's total (README, Performance notes). The total is a
-- count of the tenant's sessions that are not deleted; with this index it is
-- an index-only scan (~2 ms at 10 000 sessions against ~8 ms for the table
-- scan it was), and a status filter reads only its part of it.

CREATE INDEX sessions_live_idx ON sessions (tenant_id, status) WHERE deleted_at IS NULL;
