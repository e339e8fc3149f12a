import type { Agent } from "./agent/agent";
import type { AttemptUsage } from "./session/model-usage";
import type { Attempt } from "./session/attempt";
import type { PromptContext } from "./context/context-prompt";
import type { CheckpointTrigger } from "./session/checkpoint-chain";
import type { Session, SessionError, Workspace } from "./session/session";
import type { NewSessionEvent } from "./session/session-event";
import type { WorkspaceTarget } from "./workspace/workspace-target";
import type { AgentGate } from "./outage";
import type { InputAsk, PermissionReplyValue } from "./session/input-request";

/** How an attempt begins: a fresh OpenCode session, a continuation of a paused one, or re-attachment after its replica died. */
export type AttemptMode = "start" | "resume" | "adopt";

export interface AttemptContext {
  session: Session;
  attempt: Attempt;
  agent: Agent;
  mode: AttemptMode;
  /** Continuation text for resume (a follow-up message, or the default "continue"). */
  continuation: string | null;
  usage: AttemptUsage;
  /**
   * What the log already holds of this attempt (for resume and adopt): the
   * OpenCode messages already checkpointed and the last status of each tool
   * call. The driver fills in what a dead replica never wrote, and nothing twice.
   */
  known: { checkpointedMessages: string[]; toolCalls: Record<string, string> };
  /**
   * The contexts addressed to this session when the attempt began (its own,
   * its agent's, temporary ones for either, global ones): they open the first
   * prompt of the attempt (core renderContextsForPrompt). Absent: none.
   */
  contexts?: readonly PromptContext[];
  /**
   * The session's checkpoints recorded before this run began (for the work
   * remote's lease, docs/work-remote.md): every commit (trusted when a pushed
   * branch is found there) and the one whose push was recorded last (the
   * lease's expected value). Absent: no checkpoint yet.
   */
  checkpointHistory?: { commits: readonly string[]; lastPushedCommit: string | null };
  /**
   * Where the session stands, for a replica that does not hold its workspace
   * (core computeWorkspaceTarget) and for the prompt of an attempt that
   * continues earlier work. Absent: nothing before this run.
   */
  resumePoint?: ResumePoint;
  /** Earlier attempts of the session lost to the infrastructure and restarted (core's adoption rules). */
  infraRestarts?: number;
  /** Adoption: the replica whose lease expired. */
  previousOwner?: string | null;
}

/** What the work done before this run left behind. */
export interface ResumePoint extends WorkspaceTarget {
  /** The newest checkpoint with a commit (pushed or not): what a continuing agent is told was done. */
  checkpoint: {
    seq: number;
    trigger: CheckpointTrigger;
    diffStat: { files: number; additions: number; deletions: number };
    note: string | null;
  } | null;
}

/** An OpenCode permission ask or question of the attempt's session, for a person to answer (docs/input-requests.md). */
export type AskedInput = { openCodeRequestId: string; openCodeSessionId: string } & InputAsk;

/** What the driver sends to OpenCode for a request: a person's answer, or a reject when nobody answered in time. */
export type InputDelivery = { openCodeRequestId: string } & (
  | { kind: "permission"; reply: PermissionReplyValue; message?: string }
  | { kind: "question"; answers: string[][] }
  | { kind: "question"; reject: true; message?: string }
);

/** Where a driver reports what happens; the engine batches, fences and stores it. */
export interface AttemptSink {
  emit(events: readonly NewSessionEvent[]): void;
  usage(usage: AttemptUsage): void;
  /** Marks the session degraded (runner unreachable, provider retrying) or healthy again. */
  health(state: "healthy" | "degraded", reason: string): void;
  setWorkspace(workspace: Workspace): Promise<void>;
  setOpenCodeSession(id: string): Promise<void>;
  /** The runner the attempt actually runs on (a managed agent's runner is picked per attempt). */
  setRunner(runnerId: string): Promise<void>;
  /** Chains a checkpoint; resolves with its seq, or null when it was not written (the lease is gone). */
  checkpoint(input: {
    trigger: CheckpointTrigger;
    openCodeMessageId: string | null;
    gitCommit: string | null;
    diffStat: { files: number; additions: number; deletions: number };
  }): Promise<{ seq: number } | null>;
  /**
   * A write outside the database was refused as stale — the work remote
   * refused the session branch's lease: another holder moved it. The engine
   * treats it like a stale fencing token (detaches and writes nothing more).
   */
  staleWrite(kind: "git", reason: string): void;
  /** What the agent may do at its next step (asked by the runner's agent gate before each model call and tool). */
  agentGate(): AgentGate;
  /** OpenCode asks a person something: recorded (once per OpenCode request) and listed in the inbox until answered. */
  inputRequested(ask: AskedInput): Promise<void>;
  /** OpenCode no longer holds these requests (answered elsewhere): their open rows close. */
  inputGone(openCodeRequestIds: readonly string[]): Promise<void>;
  /** Re-read after a re-attach: OpenCode holds exactly these of the attempt's requests; the others are gone. */
  inputHeld(openCodeRequestIds: readonly string[]): Promise<void>;
}

export type AttemptOutcome =
  | {
      kind: "completed";
      summary: string;
      filesChanged: string[];
      diffStat: { files: number; additions: number; deletions: number };
    }
  | { kind: "failed"; error: SessionError }
  | { kind: "interrupted" };

/**
 * Why the engine interrupts a running attempt. `detach` leaves the OpenCode
 * turn running (the lease went to another replica, or this one shuts down
 * and hands it back); every other reason aborts the turn.
 */
export type InterruptReason = "pause" | "stop" | "timeout" | "budget" | "detach";

export interface AttemptHandle {
  outcome: Promise<AttemptOutcome>;
  interrupt(reason: InterruptReason): void;
  /** Sends a follow-up instruction into the running OpenCode session. */
  send(text: string): Promise<void>;
  /** Forwards an answer to an input request; false when OpenCode no longer holds it. */
  deliverInput(delivery: InputDelivery): Promise<boolean>;
  /** Snapshot of the worktree as a checkpoint now (pause, manual). */
  checkpointNow(trigger: CheckpointTrigger): Promise<void>;
  /**
   * This replica stops: stop a turn that dies with it, checkpoint what the
   * workspace holds and push it, then end as detached (the engine hands the
   * lease back so another replica adopts at once). Resolves when pushed (or given up).
   */
  handOver?(): Promise<void>;
}

/** Runs attempts on some coding agent; the OpenCode implementation lives in @industrial/opencode. */
export interface AttemptDriver {
  start(ctx: AttemptContext, sink: AttemptSink): AttemptHandle;
}
