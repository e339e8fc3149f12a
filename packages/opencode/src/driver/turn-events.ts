import {
  countModelUsage,
  countToolCall,
  emptyUsage,
  type AttemptSink,
  type AttemptUsage,
  type InterruptReason,
} from "@industrial/core";
import { classifyOpenCodeError } from "./classify-error";
import type { IdleWatch } from "./idle-watch";
import type { InputAsks } from "./input-asks";
import {
  OcAssistantInfo,
  OcEventProps,
  OcPart,
  type OcError,
  type OcEventType,
  type OcMessage,
} from "./opencode-events";
import type { DriverLog, OcClient } from "./ports";
import { tokensOf, toolEvent, usageOfMessages } from "./translate";

export interface TurnEventsDeps {
  sink: AttemptSink;
  idle: IdleWatch;
  asks: InputAsks;
  client(): OcClient | null;
  ocSessionId(): string | null;
  /** The attempt is being interrupted: its own abort is no error to report, and no provider trouble. */
  interrupted(): InterruptReason | null;
  /** The hand-over under way, if any: the abort of its turn is no error to report either. */
  handingOver(): Promise<void> | null;
  /** The model answering now, as events name it (model-fallback.ts). */
  runningModel(): string | null;
  /** A finished assistant message: a step to checkpoint (step-checkpoints.ts). */
  stepFinished(messageId: string): void;
  /** OpenCode's own provider retries tolerated before the attempt gives up (and our retry policy takes over). */
  maxProviderRetries: number;
  /** Tool calls whose status the attempt already reported (a resumed or adopted attempt's). */
  knownToolCalls: Record<string, string>;
  /** What the attempt used so far (stored): counting goes on from there. */
  usage: AttemptUsage;
  log: DriverLog;
  emitLog(level: "info" | "warn" | "error", text: string, source?: "orchestrator" | "assistant" | "opencode"): void;
}

/**
 * OpenCode's events of the attempt's session become ours: tool calls,
 * assistant text, todos, usage and health; asks go to `InputAsks`, the turn's
 * end to `IdleWatch`, finished steps to the checkpoints. Each tool status and
 * each text or step part is reported once, also across a re-attach that
 * replays them. Failures seen on the way (`providerGaveUp`, `lastError`) are
 * kept for the outcome, which is decided after idle from the messages.
 */
export class TurnEvents {
  /** The provider kept failing past `maxProviderRetries` (OpenCode's message of the last retry); the turn was aborted. */
  providerGaveUp: string | null = null;
  /** The last error OpenCode reported for the session (an abort aside). */
  lastError: OcError | null = null;
  /** The attempt's usage so far, reported to the sink at each change. */
  usage: AttemptUsage;
  /** What the attempt used in an earlier OpenCode session (a paused attempt resumed in a new one); the recount starts from it. */
  private usageBase: AttemptUsage = emptyUsage();
  private retrying = false;
  private readonly toolStatus = new Map<string, string>();
  private readonly seenParts = new Set<string>();

  constructor(private readonly deps: TurnEventsDeps) {
    this.usage = structuredClone(deps.usage);
    for (const [callId, status] of Object.entries(deps.knownToolCalls)) this.toolStatus.set(callId, status);
  }

  /** The turn goes on on another model: the failures of the last one are behind it. */
  clearFailures(): void {
    this.providerGaveUp = null;
    this.lastError = null;
  }

  /** A paused attempt resumed in a new OpenCode session keeps what it used in the old one. */
  keepEarlierUsage(): void {
    this.usageBase = structuredClone(this.deps.usage);
  }

  /** The attempt's usage, recomputed from every assistant message of its OpenCode session (plus an earlier one's, see usageBase). */
  reconcileUsage(messages: OcMessage[]): void {
    this.usage = usageOfMessages(messages, this.usageBase);
    this.deps.sink.usage(structuredClone(this.usage));
  }

  onStreamStatus(status: "connected" | "reconnecting", reconnected: boolean): void {
    if (status === "reconnecting") {
      this.deps.sink.health("degraded", "runner unreachable: OpenCode event stream reconnecting");
      return;
    }
    if (!reconnected) return;
    this.deps.sink.health("healthy", "OpenCode event stream reconnected");
    this.deps.idle.resync();
  }

  onEvent(raw: { type: string; properties: unknown }): void {
    const schema = OcEventProps[raw.type as OcEventType];
    if (!schema) return;
    const parsed = schema.safeParse(raw.properties);
    if (!parsed.success) {
      this.deps.log("warn", "unexpected OpenCode event shape", {
        type: raw.type,
        issue: parsed.error.issues[0]?.message,
      });
      return;
    }
    const p = parsed.data as Record<string, unknown>;
    const sid =
      (p.sessionID as string | undefined) ?? ((p.info ?? p.part) as { sessionID?: string } | undefined)?.sessionID;
    const own = this.deps.ocSessionId();
    if (!own) return;
    const { asks, idle, sink } = this.deps;
    // A child session (OpenCode's task tool) may ask too: its asks are the attempt's; nothing else of it is.
    if (raw.type === "session.created")
      return asks.sessionCreated((p as { info: { id: string; parentID?: string } }).info, own);
    if (sid !== own && !(sid && asks.isChild(sid) && /^(permission|question)\./.test(raw.type))) return;
    if (raw.type.startsWith("session."))
      this.deps.log("debug", `opencode ${raw.type}`, { status: (p.status as { type?: string } | undefined)?.type });
    switch (raw.type as OcEventType) {
      case "session.status":
        return this.onStatus((p as { status: { type: string; attempt?: number; message?: string } }).status, own);
      case "session.idle":
        if (idle.busySeen) idle.mark("session.idle");
        return;
      case "session.error": {
        const err = (p as { error?: OcError }).error;
        if (!err) return;
        if (err.name !== "MessageAbortedError") this.lastError = err;
        if (!(
          err.name === "MessageAbortedError" &&
          (this.deps.interrupted() || this.providerGaveUp || this.deps.handingOver())
        ))
          this.deps.emitLog("error", `OpenCode: ${classifyOpenCodeError(err).message}`, "opencode");
        return;
      }
      case "message.part.updated":
        return this.onPart((p as { part: unknown }).part);
      case "message.updated": {
        const info = OcAssistantInfo.safeParse((p as { info: unknown }).info);
        if (info.success && info.data.time.completed && info.data.finish && !info.data.error)
          this.deps.stepFinished(info.data.id);
        return;
      }
      case "todo.updated": {
        const todos = (p as { todos: { content: string; status: string; priority: string }[] }).todos;
        sink.emit([
          {
            type: "session.todo",
            payload: { todos: todos.map(({ content, status, priority }) => ({ content, status, priority })) },
          },
        ]);
        return;
      }
      case "permission.asked":
        return asks.asked("permission", p);
      case "question.asked":
        return asks.asked("question", p);
      case "permission.replied":
      case "question.replied":
      case "question.rejected":
        return asks.settled((p as { requestID: string }).requestID);
    }
  }

  private onStatus(st: { type: string; attempt?: number; message?: string }, own: string): void {
    const { idle } = this.deps;
    if (st.type === "busy") {
      // busy also comes between OpenCode's retries: health returns only with real progress (onPart).
      idle.busySeen = true;
    } else if (st.type === "retry") {
      idle.busySeen = true;
      this.retrying = true;
      const n = st.attempt ?? 1;
      this.deps.sink.health("degraded", `model provider error, OpenCode retrying (attempt ${n}): ${st.message ?? ""}`);
      if (n > this.deps.maxProviderRetries && !this.providerGaveUp && !this.deps.interrupted()) {
        this.providerGaveUp = st.message ?? "provider error";
        void this.deps
          .client()
          ?.abort(own)
          .catch(() => undefined);
      }
    } else if (st.type === "idle" && idle.busySeen) idle.mark("session.status idle");
  }

  /** A message part (live, or replayed from OpenCode's record after a re-attach). */
  onPart(raw: unknown): void {
    const parsed = OcPart.safeParse(raw);
    if (!parsed.success) return;
    const part = parsed.data;
    const { sink } = this.deps;
    if (this.retrying && (part.type === "step-finish" || part.type === "tool" || part.type === "text")) {
      this.retrying = false;
      sink.health("healthy", "model provider answering again");
    }
    if (part.type === "tool") {
      if (this.toolStatus.get(part.callID) === part.state.status) return;
      this.toolStatus.set(part.callID, part.state.status);
      sink.emit([toolEvent(part)]);
      if (part.state.status === "completed" || part.state.status === "error") {
        countToolCall(this.usage, part.tool, part.state.status);
        sink.usage(structuredClone(this.usage));
      }
    } else if (part.type === "text") {
      if (!part.time?.end || this.seenParts.has(part.id) || !part.text.trim()) return;
      this.seenParts.add(part.id);
      this.deps.emitLog("info", part.text, "assistant");
    } else if (part.type === "step-finish") {
      if (this.seenParts.has(part.id)) return;
      this.seenParts.add(part.id);
      // The model prompted now wrote it; the turn's end recounts by each message's own model (usageOfMessages).
      countModelUsage(this.usage, this.deps.runningModel(), {
        tokens: tokensOf(part.tokens),
        costUsd: part.cost,
        modelCalls: 1,
      });
      sink.usage(structuredClone(this.usage));
      // The step's tools have run: commit now, before the next model call can change files.
      this.deps.stepFinished(part.messageID);
    }
  }
}
