-- 0009: each checkpoint's push to the work remote (docs/work-remote.md).
-- `pushed_at` is when its commit was confirmed on the remote at its checkpoint
-- ref (null: not yet pushed; the push is retried in the background), and
-- `pushed_to` the remote it went to, with any credentials in its URL masked.
-- Neither is part of the checkpoint's hash: a push is a fact learnt later.
ALTER TABLE checkpoints ADD COLUMN pushed_at timestamptz;
ALTER TABLE checkpoints ADD COLUMN pushed_to text;
