import {
  CAPABILITIES,
  computeActor,
  DEFAULT_RETRY_POLICY,
  extractJsonBlock,
  planFromLlm,
  PreconditionError,
  FINISHED_STATUSES,
  type DecompositionPlan,
  type Session,
  type Task,
} from "@industrial/core";
import { getSession, insertSession } from "@industrial/db";
import { afterCommit, type ServiceDeps } from "./deps";

/** How long `POST /tasks/{id}/decompose` with the LLM planner waits for its planning session. */
const PLANNING_TIMEOUT_SECONDS = 600;

/**
 * Asks an architect agent for a breakdown through a real session (type
 * planning, routed by `task_decomposition` or to the agent named), waits for
 * its answer, and validates the JSON in it. The session stays in the log
 * like any other, so the plan can be audited.
 */
export async function planWithLlm(
  deps: ServiceDeps,
  task: Task,
  agentId: string | null,
): Promise<{ plan: DecompositionPlan; sessionId: string }> {
  const { session, events } = await deps.db.transaction((tx) =>
    insertSession(tx, {
      tenantId: deps.tenantId,
      title: `Plan: ${task.title}`.slice(0, 200),
      prompt: composePlanningPrompt(task),
      type: "planning",
      priority: task.priority,
      requiredCapabilities: ["task_decomposition"],
      preferredAgentId: agentId,
      workspace: { repository: null, baseRef: "HEAD", baseCommit: null, branch: null, path: null, directory: null },
      model: null,
      parentSessionId: null,
      taskId: task.id,
      maxDurationSeconds: PLANNING_TIMEOUT_SECONDS,
      retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 },
      budget: {},
      tags: ["planning"],
      metadata: {},
      // In the requester's name: a member may stop the planning session it caused.
      createdBy: computeActor(deps.caller),
      held: false,
    }),
  );
  afterCommit(deps, events);
  const ended = await waitForEnd(deps, session.id);
  if (ended.status !== "completed")
    throw new PreconditionError(
      `the planning session ended ${ended.status}${ended.error ? `: ${ended.error.message}` : ""}`,
      {
        context: { sessionId: session.id },
        suggestion: "see the session's events; register an agent with task_decomposition if none could take it",
      },
    );
  const json = extractJsonBlock(ended.result?.summary ?? "");
  if (json === undefined)
    throw new PreconditionError("the planner's answer holds no JSON plan", {
      context: { sessionId: session.id },
      details: [{ path: "plan", reason: "no ```json block and the answer is not JSON" }],
    });
  const checked = planFromLlm(json);
  if (!checked.ok)
    throw new PreconditionError(
      `the planner's plan is invalid: ${checked.errors.map((e) => `${e.path}: ${e.reason}`).join("; ")}`,
      {
        context: { sessionId: session.id },
        details: checked.errors,
      },
    );
  return { plan: checked.plan, sessionId: session.id };
}

async function waitForEnd(deps: ServiceDeps, sessionId: string): Promise<Session> {
  const deadline = Date.now() + (PLANNING_TIMEOUT_SECONDS + 60) * 1000;
  for (;;) {
    const s = await getSession(deps.db, deps.tenantId, sessionId);
    if (FINISHED_STATUSES.includes(s.status)) return s;
    if (Date.now() > deadline)
      throw new PreconditionError(`the planning session ${sessionId} did not end in time`, { context: { sessionId } });
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The task's own text goes last: a script (or a person's instructions) ends the message. */
export function composePlanningPrompt(task: Task): string {
  return [
    "Break the task below into subtasks for a team of coding agents. Answer with one JSON object in a ```json fenced block and nothing else:",
    '{"tasks": [{"key": "short-id", "title": "…", "description": "…", "requiredCapabilities": ["code_generation"], "hours": {"optimistic": 1, "likely": 2, "pessimistic": 4}, "dependsOn": ["another key"]}]}',
    `Capabilities: ${CAPABILITIES.join(", ")}. Keep each subtask to at most four hours of work.`,
    `Task: ${task.title}`,
    task.description,
  ]
    .filter((s) => s.trim() !== "")
    .join("\n\n");
}
