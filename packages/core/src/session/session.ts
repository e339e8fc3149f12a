import type { TokenTotals } from "./checkpoint-chain";
import type { ModelUsage } from "./model-usage";
import type { Priority } from "./priority";
import type { RetryPolicy } from "./retry";
import type { PushTarget } from "../workspace/repository-url";
import type { SessionStatus } from "./session-status";

export const SESSION_TYPES = ["planning", "execution", "review", "debug", "integration"] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export interface Workspace {
  /** Absolute path of the git repository the worktree was cut from, or its git URL (null: a plain directory). */
  repository: string | null;
  baseRef: string;
  /** Commit the base ref pointed to when the workspace was prepared; diffs are taken against it. */
  baseCommit: string | null;
  branch: string | null;
  /** Absolute path the agent works in. Null until the first attempt prepares it. */
  path: string | null;
  /** Plain directory the person named, when no repository was given. */
  directory: string | null;
  /** Where checkpoints are pushed (`computePushTarget`); absent on sessions made before URLs: the work remote. */
  pushTo?: PushTarget;
  /** A URL repository's bare mirror on the replica that cut the worktree (the worktree's git directory lives in it). */
  mirror?: string | null;
}

export interface SessionMetrics {
  tokens: TokenTotals;
  costUsd: number;
  modelCalls: number;
  /** Tokens, cost and calls per answering model, its attempts' byModel added up (absent before models were told apart). */
  byModel?: Record<string, ModelUsage>;
  toolCalls: Record<string, number>;
  toolErrors: number;
  filesChanged: number;
  linesAdded: number;
  linesRemoved: number;
  queueWaitSeconds: number;
  runSeconds: number;
  checkpoints: number;
  attempts: number;
}

export interface SessionError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface SessionResult {
  summary: string;
  filesChanged: string[];
  diffStat: { files: number; additions: number; deletions: number };
}

export interface Budget {
  maxTokens?: number | undefined;
  maxCostUsd?: number | undefined;
}

/** Requests a person made that the lease holder (or the API, when none) carries out. */
export const SESSION_ACTIONS = ["pause", "resume", "stop", "cancel"] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

export interface Session {
  id: string;
  tenantId: string;
  title: string;
  prompt: string;
  type: SessionType;
  priority: Priority;
  status: SessionStatus;
  statusReason: string | null;
  requiredCapabilities: string[];
  preferredAgentId: string | null;
  agentId: string | null;
  workspace: Workspace;
  model: string | null;
  parentSessionId: string | null;
  taskId: string | null;
  maxDurationSeconds: number;
  retry: RetryPolicy;
  attempt: number;
  notBefore: string | null;
  budget: Budget;
  tags: string[];
  metadata: Record<string, unknown>;
  createdBy: string | null;
  createdAt: string;
  queuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  statusUpdatedAt: string;
  metrics: SessionMetrics;
  result: SessionResult | null;
  error: SessionError | null;
  requestedAction: SessionAction | null;
  lastEventSeq: number;
}

export function emptyTokenTotals(): TokenTotals {
  return { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
}

export function emptySessionMetrics(): SessionMetrics {
  return {
    tokens: emptyTokenTotals(),
    costUsd: 0,
    modelCalls: 0,
    toolCalls: {},
    toolErrors: 0,
    filesChanged: 0,
    linesAdded: 0,
    linesRemoved: 0,
    queueWaitSeconds: 0,
    runSeconds: 0,
    checkpoints: 0,
    attempts: 0,
  };
}

/** First eight hex digits of the id: names the branch `orchestrator/<short>` and worktree folders. */
export function sessionShortId(id: string): string {
  return id.replace(/-/g, "").slice(0, 8);
}

/** Error codes the engine itself writes into `session.error`. */
export const SessionErrorCode = {
  TIMEOUT: "TIMEOUT",
  BUDGET_EXCEEDED: "BUDGET_EXCEEDED",
  PROVIDER_ERROR: "PROVIDER_ERROR",
  PROVIDER_UNAVAILABLE: "PROVIDER_UNAVAILABLE",
  NO_MODEL: "NO_MODEL",
  RUNNER_UNAVAILABLE: "RUNNER_UNAVAILABLE",
  OPENCODE_SESSION_LOST: "OPENCODE_SESSION_LOST",
  WORKSPACE_ERROR: "WORKSPACE_ERROR",
  /** A URL repository could not be fetched (down, refused, no such repository, credentials): retryable. */
  REPOSITORY_UNREACHABLE: "REPOSITORY_UNREACHABLE",
  /** The agent's commands cannot be sandboxed here (ORCHESTRATOR_SANDBOX, docs/sandbox.md): not retried. */
  SANDBOX_UNAVAILABLE: "SANDBOX_UNAVAILABLE",
  ABORTED: "ABORTED",
  INTERNAL: "INTERNAL",
} as const;
