import type { AgentGate } from "@industrial/core";
import type { MirrorCache } from "../mirror";
import type { SandboxPolicy } from "../sandbox";
import type { CheckpointPusher } from "../work-remote";
import type { SessionFolders } from "../workspace/session-folders";
import type { OcPermissionRequest, OcQuestionRequest } from "./opencode-events";

/** The driver's log (its caller adds the session and attempt). */
export type DriverLog = (
  level: "debug" | "info" | "warn" | "error",
  msg: string,
  extra?: Record<string, unknown>,
) => void;

/** What the attempt runner needs from an OpenCode server (bound to one directory). */
export interface OcClient {
  /** `permission`: the agent's rules, applied to this session on top of the runner's config (the last matching rule wins). */
  createSession(input: {
    title: string;
    permission?: { permission: string; pattern: string; action: "allow" | "ask" | "deny" }[];
  }): Promise<{ id: string }>;
  getSession(id: string): Promise<{ id: string; parentID?: string } | null>;
  promptAsync(id: string, input: { text: string; model?: string; agent?: string; system?: string }): Promise<void>;
  abort(id: string): Promise<void>;
  messages(id: string): Promise<unknown[]>;
  sessionStatus(): Promise<Record<string, { type: string }>>;
  /** False when OpenCode no longer holds the request. A reject without a message ends the turn; with one it goes on (docs/input-requests.md §1). */
  replyPermission(requestId: string, reply: "once" | "always" | "reject", message?: string): Promise<boolean>;
  listPermissions(): Promise<OcPermissionRequest[]>;
  listQuestions(): Promise<OcQuestionRequest[]>;
  /** One array of labels (or free text) per question, in order; false when the request is gone. */
  replyQuestion(requestId: string, answers: string[][]): Promise<boolean>;
  /** Dismisses a question: OpenCode ends the turn. */
  rejectQuestion(requestId: string): Promise<boolean>;
  revert(id: string, messageId: string): Promise<unknown>;
  disposeInstance(): Promise<void>;
  /** Model refs ("provider/model") the server can use, and its default model if any. */
  models(): Promise<{ available: string[]; defaultModel: string | null }>;
}

export interface OcSubscription {
  /** Resolves once the server confirmed the stream (`server.connected`): prompt only after it. */
  ready: Promise<void>;
  close(): void;
}

export interface OcTransport {
  client(baseUrl: string, directory: string, options?: { timeoutMs?: number }): OcClient;
  subscribe(input: {
    baseUrl: string;
    directory: string;
    onEvent: (event: { type: string; properties: unknown }) => void;
    /** `reconnected`: a connection after a drop (events may have been missed). */
    onStatus: (status: "connected" | "reconnecting", reconnected: boolean) => void;
  }): OcSubscription;
}

/** An attempt's hold on a runner: the runner stays up (a draining one is stopped only after its last lease). */
export interface RunnerLease {
  runnerId: string;
  url: string;
  /** A managed runner of this replica: it stops when the replica does (a shutdown hands its turns over as lost). */
  stopsWithReplica?: boolean;
  /**
   * A managed runner whose process died is restarted by its replica on the
   * same OpenCode store, maybe on another port: where it listens now and how
   * often it was restarted (null while it restarts). Absent: a remote runner.
   */
  current?(): { url: string; restarts: number } | null;
  /**
   * Puts an OpenCode session under this replica's agent gate: the runner
   * asks `verdict` before each model call and tool of the session. Returns
   * the registration's removal. Absent: a runner without the gate (remote).
   */
  gate?(openCodeSessionId: string, verdict: () => AgentGate): () => void;
  /**
   * How the runner's agents' commands are sandboxed: `on` — the session's
   * folder must be prepared before the agent's first step; `refused` — they
   * cannot be, and the attempt must not run. Absent: not this replica's
   * concern (a remote runner) or sandboxing is off.
   */
  sandbox?:
    { kind: "on"; prepare(root: string, policy: SandboxPolicy): Promise<void> } | { kind: "refused"; reason: string };
  /** Hands the runner back; idempotent. */
  release(): void;
}

/**
 * Finds the OpenCode server for an attempt. `agentRunnerId` is the agent's
 * remote runner, or null for a managed runner of this replica (started on
 * demand); `attemptRunnerId` is where the attempt ran before (resume,
 * adoption), preferred while it still runs. `maintenance`: a short call that
 * is not an attempt (restoring a checkpoint) — breakers do not apply and no
 * trial is taken.
 */
export interface RunnerResolver {
  acquire(input: {
    agentRunnerId: string | null;
    attemptRunnerId: string | null;
    maintenance?: boolean;
  }): Promise<RunnerLease>;
}

/** What the OpenCode driver is given (createOpenCodeDriver): its ports, and the operator's settings. */
export interface AttemptRunOptions {
  transport: OcTransport;
  runners: RunnerResolver;
  /** Where a tenant's session folders are (session-folders.ts). */
  folders(tenantId: string): SessionFolders;
  defaultModel: string | null;
  /** OpenCode's own provider retries tolerated before the attempt gives up (and our retry policy takes over). */
  maxProviderRetries: number;
  /** How long an ending attempt waits for its checkpoints to reach the remote (ORCHESTRATOR_CHECKPOINT_LAND_SECONDS; 0: no wait). */
  landWaitMs: number;
  connectTimeoutMs: number;
  /** Pushes every checkpoint to the work remote (absent: none configured). */
  pusher?: CheckpointPusher | null;
  /** This replica's mirrors of URL repositories (absent: repositories by URL fail to prepare). */
  mirrors?: MirrorCache | null;
  log: DriverLog;
}
