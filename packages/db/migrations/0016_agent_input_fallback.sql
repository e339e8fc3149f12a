-- 0016: three agent settings of issue 14 (docs/input-requests.md §3).
-- allow_questions: OpenCode's question tool asks a person instead of being
-- denied. input_timeout_seconds: how long an input request waits for an
-- answer before it is rejected with a message (0: forever). fallback_models:
-- provider/model refs tried in order when the current model keeps failing
-- (provider retries exhausted, quota, authentication). The defaults keep
-- existing agents as they behave today: no questions, no fallback.

ALTER TABLE agents ADD COLUMN allow_questions boolean NOT NULL DEFAULT false;
ALTER TABLE agents ADD COLUMN input_timeout_seconds integer NOT NULL DEFAULT 900 CHECK (input_timeout_seconds >= 0);
ALTER TABLE agents ADD COLUMN fallback_models text[] NOT NULL DEFAULT '{}';
