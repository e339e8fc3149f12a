import type { Orchestrator } from "../main";

/** The runner of the session's latest attempt: null before its first attempt, or while that attempt has none. */
export async function latestAttemptRunner(orc: Pick<Orchestrator, "db">, sessionId: string): Promise<string | null> {
  const rows = await orc.db.query<{ runner_id: string | null }>(
    "SELECT runner_id FROM attempts WHERE session_id = $1 ORDER BY number DESC LIMIT 1",
    [sessionId],
  );
  return rows[0]?.runner_id ?? null;
}
