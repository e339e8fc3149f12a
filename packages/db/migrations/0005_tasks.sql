-- 0005: tasks — a tree (parent/children) plus a DAG of dependencies; leaves execute as sessions.

CREATE TABLE tasks (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  parent_task_id uuid REFERENCES tasks(id),
  -- The top of the tree (itself for a root): a tree is read, locked and executed as one.
  root_task_id uuid NOT NULL,
  -- Order among siblings (decomposition keeps the plan's order).
  position int NOT NULL DEFAULT 0,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  type text NOT NULL,
  status text NOT NULL,
  priority text NOT NULL,
  required_capabilities text[] NOT NULL DEFAULT '{}',
  estimate jsonb NOT NULL,
  complexity text NOT NULL,
  session_id uuid,
  result jsonb,
  error jsonb,
  -- Roots being executed: {state, repository, baseRef, branch, path, baseCommit, startedAt, …}.
  execution jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz,
  deleted_at timestamptz
);
CREATE INDEX tasks_list_idx ON tasks (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX tasks_tree_idx ON tasks (root_task_id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_parent_idx ON tasks (parent_task_id) WHERE parent_task_id IS NOT NULL;
-- The executor's scan: roots whose execution is under way.
CREATE INDEX tasks_executing_idx ON tasks (id) WHERE parent_task_id IS NULL AND execution IS NOT NULL AND execution->>'state' = 'running';

CREATE TABLE task_dependencies (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  -- The dependant …
  task_id uuid NOT NULL REFERENCES tasks(id),
  -- … and its prerequisite.
  depends_on_task_id uuid NOT NULL REFERENCES tasks(id),
  type text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (task_id, depends_on_task_id)
);
CREATE INDEX task_dependencies_prereq_idx ON task_dependencies (depends_on_task_id);

CREATE INDEX sessions_task_idx ON sessions (task_id) WHERE task_id IS NOT NULL;
