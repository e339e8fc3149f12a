import {
  countModelUsage,
  countToolCall,
  emptyTokenTotals,
  truncateText,
  type AttemptUsage,
  type NewSessionEvent,
  type TokenTotals,
} from "@industrial/core";
import { OcPart, type OcAssistantInfo, type OcMessage } from "./opencode-events";

/** Short, single-line summary of a tool input for the log (the full input stays in OpenCode). */
export function summariseInput(input: Record<string, unknown> | undefined): string | null {
  if (!input || Object.keys(input).length === 0) return null;
  const preferred = ["command", "filePath", "path", "pattern", "url", "description"];
  for (const k of preferred) if (typeof input[k] === "string") return truncateText(`${k}: ${String(input[k])}`, 300);
  return truncateText(JSON.stringify(input), 300);
}

/** A tool part becomes a `session.tool` event (one per status the part reaches). */
export function toolEvent(part: Extract<OcPart, { type: "tool" }>): NewSessionEvent {
  const s = part.state;
  return {
    type: "session.tool",
    payload: {
      callId: part.callID,
      tool: part.tool,
      status: s.status,
      title: s.title ?? null,
      input: summariseInput(s.input),
      output:
        s.status === "completed"
          ? truncateText(s.output ?? "", 2000)
          : s.status === "error"
            ? truncateText(s.error ?? "error", 2000)
            : null,
    },
  };
}

export function tokensOf(t: {
  input: number;
  output: number;
  reasoning: number;
  cache: { read: number; write: number };
}): TokenTotals {
  return {
    input: t.input,
    output: t.output,
    reasoning: t.reasoning,
    cacheRead: t.cache.read,
    cacheWrite: t.cache.write,
  };
}

/** "provider/model" of the model that wrote an assistant message; null when OpenCode did not say. */
export function modelOf(a: Pick<OcAssistantInfo, "providerID" | "modelID">): string | null {
  return a.providerID && a.modelID ? `${a.providerID}/${a.modelID}` : null;
}

/**
 * An attempt's usage recomputed from every assistant message of its OpenCode
 * session, on top of `base`: what the attempt used in an earlier OpenCode
 * session (a paused attempt resumed in a new one), else nothing. Each
 * message counts for the model that wrote it (`byModel`): after a model
 * fallback one OpenCode session holds the messages of several.
 */
export function usageOfMessages(messages: readonly OcMessage[], base: AttemptUsage): AttemptUsage {
  const usage = structuredClone(base);
  for (const m of messages) {
    if (m.info.role !== "assistant") continue;
    const a = m.info as OcAssistantInfo;
    countModelUsage(usage, modelOf(a), {
      tokens: a.tokens ? tokensOf(a.tokens) : emptyTokenTotals(),
      costUsd: a.cost,
      modelCalls: 1,
    });
    for (const raw of m.parts) {
      const p = OcPart.safeParse(raw);
      if (p.success && p.data.type === "tool") countToolCall(usage, p.data.tool, p.data.state.status);
    }
  }
  return usage;
}
