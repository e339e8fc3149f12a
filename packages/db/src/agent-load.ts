import type { Agent } from "@industrial/core";
import { agentFromRow } from "./rows";

/**
 * An agent with its load, as listings and dispatch read it: its running
 * sessions (counted by RUNNING in the same SELECT, aliased `running`) and
 * when it was last assigned work (routing's tie-break).
 */
export type AgentWithLoad = Agent & { running: number; lastAssignedAt: string | null };

/** The agent's running sessions, as a column of a SELECT over `agents a`. */
export const RUNNING = `(SELECT count(*)::int FROM sessions s WHERE s.agent_id = a.id AND s.status IN ('running', 'degraded'))`;

/** A row of `a.*` plus RUNNING AS running, mapped. */
export function withLoad(r: Record<string, unknown>): AgentWithLoad {
  const la = r.last_assigned_at;
  return {
    ...agentFromRow(r),
    running: r.running as number,
    lastAssignedAt: la ? new Date(la as string).toISOString() : null,
  };
}
