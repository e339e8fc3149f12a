-- 0006: the API request that wrote an event (null: written by the scheduler or a runner).
ALTER TABLE session_events ADD COLUMN request_id text;
