-- 0019: an agent's cost per model (issue 14 item 5; docs/input-requests.md §3,
-- Model fallback). Keyed "provider/model": {attempts, avgCostUsd,
-- switchedAwayAt} — the mean cost of its attempts that ran to their end on the
-- model, and when one of its attempts last switched away from it to a
-- fallback. Routing's cost score prices the model a session will run on with
-- it (core model-cost.ts). Existing agents start with no history: their
-- overall avgCostUsd prices every model until attempts fill this in.

ALTER TABLE agents ADD COLUMN cost_by_model jsonb NOT NULL DEFAULT '{}'::jsonb;
