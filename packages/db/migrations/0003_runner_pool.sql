-- 0003: the runner pool — several managed `opencode serve` per replica (one row
-- each), recycling (drain + replace), remote runners registered through the API.

-- A draining runner takes no new attempts; its process stops after the last one ends.
-- Set by its owner, or by any replica on POST /runners/{id}/recycle (the owner picks it up).
ALTER TABLE runners ADD COLUMN draining boolean NOT NULL DEFAULT false;
-- HTTP basic-auth password of a remote runner (its OPENCODE_SERVER_PASSWORD); never returned by the API.
ALTER TABLE runners ADD COLUMN password text;
-- GET /runners counts the attempts running on each runner.
CREATE INDEX attempts_runner_running_idx ON attempts (runner_id) WHERE status = 'running';

-- Earlier versions had one row named "managed" standing for "this replica's runner".
-- An agent bound to it now says the same with runner_id NULL; the row is retired.
UPDATE agents SET runner_id = NULL WHERE runner_id IN (SELECT id FROM runners WHERE kind = 'managed');
UPDATE runners SET health = 'stopped', deleted_at = now() WHERE kind = 'managed' AND deleted_at IS NULL;
