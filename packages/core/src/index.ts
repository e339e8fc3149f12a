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
export * from "./session-status";
export * from "./session";
export * from "./session-event";
export * from "./attempt";
export * from "./agent";
export * from "./agent-sandbox";
export * from "./sandbox-mount-spec";
export * from "./agent-record";
export * from "./model-switch";
export * from "./model-cost";
export * from "./model-usage";
export * from "./breaker";
export * from "./tier";
export * from "./runner";
export * from "./runner-choice";
export * from "./retry";
export * from "./priority";
export * from "./health";
export * from "./checkpoint-chain";
export * from "./clock";
export * from "./deadline";
export * from "./runner-url";
export * from "./routing";
export * from "./dispatch";
export * from "./ports";
export * from "./finish";
export * from "./session-actions";
export * from "./adoption";
export * from "./workspace-target";
export * from "./usage";
export * from "./session-timeline";
export * from "./context";
export * from "./context-path";
export * from "./context-diff";
export * from "./context-merge";
export * from "./context-prompt";
export * from "./task";
export * from "./task-graph";
export * from "./task-schedule";
export * from "./task-rollup";
export * from "./task-templates";
export * from "./task-heuristics";
export * from "./task-decomposition";
export * from "./task-execution";
export * from "./llm-plan";
export * from "./tenant";
export * from "./access";
export * from "./input-request";
export * from "./identity";
export * from "./network-address";
export * from "./notify-webhook";
export * from "./workspace-admission";
export * from "./rate-limit";
export * from "./retention";
export * from "./work-remote";
export * from "./repository-url";
export * from "./mirror-retention";
export * from "./outage";
export * from "./worktree-retention";
export * from "./warm-slot";
export * from "./remote-cleanup";
export * from "./sandbox";
