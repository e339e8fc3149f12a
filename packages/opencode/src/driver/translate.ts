import { truncateText, type NewSessionEvent, type TokenTotals } from "@industrial/core";
import type { OcPart } from "./opencode-events";

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
      output: s.status === "completed" ? truncateText(s.output ?? "", 2000) : s.status === "error" ? truncateText(s.error ?? "error", 2000) : null,
    },
  };
}

export function tokensOf(t: { input: number; output: number; reasoning: number; cache: { read: number; write: number } }): TokenTotals {
  return { input: t.input, output: t.output, reasoning: t.reasoning, cacheRead: t.cache.read, cacheWrite: t.cache.write };
}
