import type { CheckpointTrigger, TokenTotals } from "./checkpoint-chain";
import type { InboxItem, InputActor, InputOutcome, InputReply, InputRequestKind } from "./input-request";
import type { ModelSwitchReason } from "./model-switch";
import type { SessionStatus } from "./session-status";

/**
 * The catalogue of session events. The same names are the WebSocket message
 * types, so a frame replayed from the log and a live one look alike.
 */
export interface SessionEventPayloads {
  "session.created": { title: string; priority: string; type: string };
  "session.status_changed": { from: SessionStatus; to: SessionStatus; reason: string | null };
  "session.attempt": {
    attempt: number;
    agentId: string | null;
    runnerId: string | null;
    openCodeSessionId: string | null;
    action: "started" | "adopted" | "resumed";
    /** Replica that took the lease. */
    replica: string;
  };
  "session.log": {
    level: "debug" | "info" | "warn" | "error";
    text: string;
    source: "orchestrator" | "assistant" | "user" | "opencode";
  };
  "session.tool": {
    callId: string;
    tool: string;
    status: "pending" | "running" | "completed" | "error";
    title: string | null;
    input: string | null;
    output: string | null;
  };
  "session.file_edited": { path: string; added: number; removed: number };
  "session.tokens": { totals: TokenTotals; cost: number };
  "session.checkpoint": { seq: number; hash: string; trigger: CheckpointTrigger; gitCommit: string | null };
  "session.restored": { seq: number; gitCommit: string | null };
  "session.todo": { todos: { content: string; status: string; priority: string }[] };
  /** OpenCode asked for a permission or put a question (docs/input-requests.md): the inbox item. */
  "session.input_requested": InboxItem;
  /** An input request left `open`: answered or rejected by a person, expired or cancelled by the system (reply null when nothing was said). */
  "session.input_replied": {
    requestId: string;
    kind: InputRequestKind;
    outcome: InputOutcome;
    actor: InputActor;
    reply: InputReply | null;
  };
  /** The attempt left a failing model for the next of its agent's fallbackModels, in the same OpenCode session (model-switch.ts). */
  "session.model_switched": { from: string; to: string; reason: ModelSwitchReason };
}
export type SessionEventType = keyof SessionEventPayloads;

export const SESSION_EVENT_TYPES = [
  "session.created",
  "session.status_changed",
  "session.attempt",
  "session.log",
  "session.tool",
  "session.file_edited",
  "session.tokens",
  "session.checkpoint",
  "session.restored",
  "session.todo",
  "session.input_requested",
  "session.input_replied",
  "session.model_switched",
] as const satisfies readonly SessionEventType[];

/** An event before the log gives it a `seq`. */
export type NewSessionEvent = {
  [K in SessionEventType]: { type: K; payload: SessionEventPayloads[K] };
}[SessionEventType];

/** An event as stored: per-session `seq` from 1, strictly increasing, no gaps. */
export type SessionEvent = NewSessionEvent & {
  sessionId: string;
  seq: number;
  attempt: number | null;
  ts: string;
  /** The API request that wrote it (null or absent: the scheduler, a runner, a background loop). */
  requestId?: string | null;
};

/** Longest text kept in one event; longer tool output is cut with a marker. */
export const EVENT_TEXT_LIMIT = 8_000;

export function truncateText(text: string, limit = EVENT_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… [${text.length - limit} more characters]`;
}
