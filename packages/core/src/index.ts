/**
 * @industrial/core — the pure domain of Industrial Orchestrator. No I/O.
 *
 * Terminology (docs/domain.md; these words and no others, everywhere):
 * - session     one unit of autonomous coding work: a prompt, run by one agent in one
 *               workspace through one OpenCode session per attempt.
 * - attempt     one execution of a session; a retry starts a new attempt with its own
 *               OpenCode session id, lease and fencing token.
 * - lease       an attempt's claim to run: owner replica + expiry (30 s, renewed every 10 s).
 * - fencing token  monotonic per session; every write of the lease holder carries it and
 *               a stale one is refused.
 * - agent       a registered executor profile: capabilities, model, OpenCode agent,
 *               system prompt, capacity, runner, sandbox policy.
 * - runner      an OpenCode server: managed (a child `opencode serve`) or remote (a URL).
 * - checkpoint  a hash-chained record of a session's state after a step.
 * - event       an append-only, per-session, seq-numbered record of what happened.
 * - workspace   the directory a session works in (a git worktree on `orchestrator/<short>`).
 * - task, context, tenant  see docs/domain.md.
 */
export * from "./errors";
export * from "./session/session-status";
export * from "./session/session";
export * from "./session/session-event";
export * from "./session/attempt";
export * from "./agent/agent";
export * from "./agent/agent-sandbox";
export * from "./agent/sandbox-mount-spec";
export * from "./agent/agent-record";
export * from "./session/model-switch";
export * from "./agent/model-cost";
export * from "./session/model-usage";
export * from "./agent/breaker";
export * from "./agent/tier";
export * from "./agent/runner";
export * from "./agent/runner-choice";
export * from "./session/retry";
export * from "./session/priority";
export * from "./session/health";
export * from "./session/checkpoint-chain";
export * from "./clock";
export * from "./deadline";
export * from "./agent/runner-url";
export * from "./agent/routing";
export * from "./agent/dispatch";
export * from "./ports";
export * from "./session/finish";
export * from "./session/session-actions";
export * from "./session/adoption";
export * from "./workspace/workspace-target";
export * from "./session/usage";
export * from "./session/session-timeline";
export * from "./context/context";
export * from "./context/context-path";
export * from "./context/context-diff";
export * from "./context/context-merge";
export * from "./context/context-prompt";
export * from "./task/task";
export * from "./task/task-graph";
export * from "./task/task-schedule";
export * from "./task/task-rollup";
export * from "./task/task-templates";
export * from "./task/task-heuristics";
export * from "./task/task-decomposition";
export * from "./task/task-execution";
export * from "./task/llm-plan";
export * from "./access/tenant";
export * from "./access/access";
export * from "./session/input-request";
export * from "./access/identity";
export * from "./network-address";
export * from "./notify-webhook";
export * from "./workspace/workspace-admission";
export * from "./access/rate-limit";
export * from "./retention";
export * from "./workspace/work-remote";
export * from "./workspace/repository-url";
export * from "./workspace/mirror-retention";
export * from "./outage";
export * from "./workspace/worktree-retention";
export * from "./workspace/warm-slot";
export * from "./workspace/remote-cleanup";
export * from "./agent/sandbox";
