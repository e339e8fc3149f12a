import { randomUUID } from "node:crypto";
import {
  emptySessionMetrics,
  NotFoundError,
  type NewSessionEvent,
  type Session,
  type SessionEvent,
  type SessionStatus,
  type Workspace,
} from "@industrial/core";
import type { Queryable } from "./database";
import { sessionFromRow } from "./rows";
import { appendEvents } from "./session-writes";

export type NewSession = Pick<
  Session,
  | "tenantId"
  | "title"
  | "prompt"
  | "type"
  | "priority"
  | "requiredCapabilities"
  | "preferredAgentId"
  | "workspace"
  | "model"
  | "parentSessionId"
  | "taskId"
  | "maxDurationSeconds"
  | "retry"
  | "budget"
  | "tags"
  | "metadata"
  | "createdBy"
> & { id?: string; held: boolean };

/** Inserts a pending session and its first events, returning both. */
export async function insertSession(
  tx: Queryable,
  input: NewSession,
): Promise<{ session: Session; events: SessionEvent[] }> {
  const rows = await tx.query(
    `INSERT INTO sessions (id, tenant_id, title, prompt, type, priority, status, status_reason, required_capabilities,
       preferred_agent_id, workspace, model, parent_session_id, task_id, max_duration_seconds, retry_policy, budget,
       tags, metadata, created_by, metrics, held)
     VALUES ($1,$2,$3,$4,$5,$6,'pending',$7,$8,$9,$10::jsonb,$11,$12,$13,$14,$15::jsonb,$16::jsonb,$17,$18::jsonb,$19,$20::jsonb,$21)
     RETURNING *`,
    [
      input.id ?? randomUUID(),
      input.tenantId,
      input.title,
      input.prompt,
      input.type,
      input.priority,
      input.held ? "created with start=false: waiting for POST /start" : "waiting for admission",
      input.requiredCapabilities,
      input.preferredAgentId,
      JSON.stringify(input.workspace),
      input.model,
      input.parentSessionId,
      input.taskId,
      input.maxDurationSeconds,
      JSON.stringify(input.retry),
      JSON.stringify(input.budget),
      input.tags,
      JSON.stringify(input.metadata),
      input.createdBy,
      JSON.stringify(emptySessionMetrics()),
      input.held,
    ],
  );
  const session = sessionFromRow(rows[0]!);
  const first: NewSessionEvent = {
    type: "session.created",
    payload: { title: session.title, priority: session.priority, type: session.type },
  };
  const events = await appendEvents(tx, session, [first], null);
  return { session, events };
}

export async function findSession(q: Queryable, tenantId: string, id: string): Promise<Session | null> {
  const rows = await q.query("SELECT * FROM sessions WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL", [
    id,
    tenantId,
  ]);
  return rows[0] ? sessionFromRow(rows[0]) : null;
}

export async function getSession(q: Queryable, tenantId: string, id: string): Promise<Session> {
  const s = await findSession(q, tenantId, id);
  if (!s) throw new NotFoundError("session", id);
  return s;
}

/** Parent chain root and every descendant of the session (depth-first). */
export async function sessionTree(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<{ parent: Session | null; children: Session[] }> {
  const session = await getSession(q, tenantId, id);
  const parent = session.parentSessionId ? await findSession(q, tenantId, session.parentSessionId) : null;
  const rows = await q.query(
    `WITH RECURSIVE tree AS (
       SELECT * FROM sessions WHERE parent_session_id = $1 AND tenant_id = $2 AND deleted_at IS NULL
       UNION ALL
       SELECT s.* FROM sessions s JOIN tree t ON s.parent_session_id = t.id WHERE s.tenant_id = $2 AND s.deleted_at IS NULL
     ) SELECT * FROM tree ORDER BY created_at`,
    [id, tenantId],
  );
  return { parent, children: rows.map(sessionFromRow) };
}

/** Live children of a session (deleting it orphans those that can still run). */
export async function listChildSessionIds(q: Queryable, tenantId: string, parentId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    "SELECT id FROM sessions WHERE parent_session_id = $1 AND tenant_id = $2 AND deleted_at IS NULL",
    [parentId, tenantId],
  );
  return rows.map((r) => r.id);
}

/** The session's current fencing token (0 when there is no such session of the tenant). */
export async function readFencingToken(q: Queryable, tenantId: string, id: string): Promise<number> {
  const rows = await q.query<{ t: number }>(
    "SELECT fencing_token AS t FROM sessions WHERE id = $1 AND tenant_id = $2",
    [id, tenantId],
  );
  return rows[0]?.t ?? 0;
}

/** Sessions an agent is running or holds paused: what keeps it from being deleted. */
export async function listBusySessionIdsOfAgent(q: Queryable, tenantId: string, agentId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    "SELECT id FROM sessions WHERE agent_id = $1 AND tenant_id = $2 AND status IN ('running', 'degraded', 'paused') AND deleted_at IS NULL",
    [agentId, tenantId],
  );
  return rows.map((r) => r.id);
}

/** What a task tree needs of its sessions: status, workspace, newest checkpoint, and the result's summary and files. */
export interface SessionOutcome {
  id: string;
  status: SessionStatus;
  branch: string | null;
  /** As recorded by the replica that last had it (its path means something there only). */
  workspace: Workspace;
  /** The commit of its newest checkpoint (what its branch holds once it ended), null before any. */
  lastCommit: string | null;
  summary: string | null;
  filesChanged: string[];
}

export async function listSessionOutcomes(
  q: Queryable,
  tenantId: string,
  ids: readonly string[],
): Promise<SessionOutcome[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<{
    id: string;
    status: SessionStatus;
    workspace: Workspace;
    result: { summary: string; filesChanged: string[] } | null;
    last_commit: string | null;
  }>(
    `SELECT s.id, s.status, s.workspace, s.result,
            (SELECT c.git_commit FROM checkpoints c WHERE c.session_id = s.id AND c.git_commit IS NOT NULL ORDER BY c.seq DESC LIMIT 1) AS last_commit
       FROM sessions s WHERE s.id = ANY($1::uuid[]) AND s.tenant_id = $2`,
    [[...ids], tenantId],
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    branch: r.workspace.branch,
    workspace: r.workspace,
    lastCommit: r.last_commit,
    summary: r.result?.summary ?? null,
    filesChanged: r.result?.filesChanged ?? [],
  }));
}
