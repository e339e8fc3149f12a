-- 0018: a tenant's own notify webhook (issue 14; docs/input-requests.md §3,
-- "Notify webhook"). Set: the tenant's notifications go there instead of to
-- the server's ORCHESTRATOR_NOTIFY_WEBHOOK_URL. The secret signs the bodies
-- (HMAC-SHA256); it is stored sealed with the server secret, like a remote
-- runner's password, and the API never returns it (only whether it is set).
-- Null, as every existing tenant starts: the server's default applies.

ALTER TABLE tenants ADD COLUMN notify_webhook_url text;
ALTER TABLE tenants ADD COLUMN notify_webhook_secret text;
