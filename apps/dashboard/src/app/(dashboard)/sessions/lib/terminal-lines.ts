import type { ModelSwitchReason, SessionEvent } from "@industrial/core";

export type LineLevel = "debug" | "info" | "warn" | "error";

/** One row of the live terminal. */
export interface TermLine {
  /** Unique: `${seq}.${part}`. */
  key: string;
  seq: number;
  ts: string;
  level: LineLevel;
  /** What kind of event it came from: log, tool, edit, status, checkpoint, tokens, … */
  kind: string;
  /** The source or tool name shown in the prefix column. */
  tag: string;
  text: string;
}

/** Why the attempt left a model, in words (docs/input-requests.md §3, Model fallback). */
const MODEL_SWITCH_TEXT: Record<ModelSwitchReason, string> = {
  unavailable: "its provider kept failing",
  auth: "its provider refused the credentials",
  quota: "its quota is spent",
};

/** Rows are hard-wrapped at this width so each is one fixed-height row of the virtual list. */
export const WRAP = 200;

function wrap(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.length <= WRAP) out.push(line);
    else for (let i = 0; i < line.length; i += WRAP) out.push(line.slice(i, i + WRAP));
  }
  while (out.length > 1 && out[out.length - 1] === "") out.pop();
  return out;
}

function describe(e: SessionEvent): { level: LineLevel; kind: string; tag: string; text: string } {
  switch (e.type) {
    case "session.created":
      return { level: "info", kind: "status", tag: "session", text: `created "${e.payload.title}" (${e.payload.type}, ${e.payload.priority})` };
    case "session.status_changed":
      return {
        level: e.payload.to === "failed" || e.payload.to === "timeout" ? "error" : "info",
        kind: "status",
        tag: "status",
        text: `${e.payload.from} → ${e.payload.to}${e.payload.reason ? ` · ${e.payload.reason}` : ""}`,
      };
    case "session.attempt":
      return { level: "info", kind: "attempt", tag: "attempt", text: `attempt ${e.payload.attempt} ${e.payload.action} on ${e.payload.replica}${e.payload.runnerId ? ` (runner ${e.payload.runnerId.slice(0, 8)})` : ""}` };
    case "session.log":
      return { level: e.payload.level, kind: "log", tag: e.payload.source, text: e.payload.text };
    case "session.tool": {
      const p = e.payload;
      const detail = [p.title, p.input ? `in: ${p.input}` : null, p.status === "completed" || p.status === "error" ? (p.output ? `out: ${p.output}` : null) : null].filter(Boolean).join(" · ");
      return { level: p.status === "error" ? "error" : "info", kind: "tool", tag: p.tool, text: `[${p.status}] ${detail}` };
    }
    case "session.file_edited":
      return { level: "info", kind: "edit", tag: "edit", text: `${e.payload.path} +${e.payload.added} −${e.payload.removed}` };
    case "session.tokens": {
      const t = e.payload.totals;
      return { level: "debug", kind: "tokens", tag: "tokens", text: `in ${t.input} · out ${t.output} · reasoning ${t.reasoning} · cache ${t.cacheRead}/${t.cacheWrite} · $${e.payload.cost.toFixed(4)}` };
    }
    case "session.checkpoint":
      return { level: "info", kind: "checkpoint", tag: "checkpoint", text: `#${e.payload.seq} ${e.payload.trigger} ${e.payload.hash.slice(0, 12)}${e.payload.gitCommit ? ` commit ${e.payload.gitCommit.slice(0, 8)}` : ""}` };
    case "session.restored":
      return { level: "warn", kind: "checkpoint", tag: "restore", text: `restored to checkpoint #${e.payload.seq}` };
    case "session.todo":
      return { level: "debug", kind: "todo", tag: "todo", text: e.payload.todos.map((t) => `[${t.status}] ${t.content}`).join("\n") || "(no todos)" };
    case "session.input_requested": {
      const p = e.payload;
      const what = p.permission ? `${p.permission.name} ${p.permission.patterns.join(" ")}` : (p.questions ?? []).map((q) => q.question).join(" / ");
      return { level: "warn", kind: "input", tag: "input", text: `${p.kind} waits for an answer: ${what}` };
    }
    case "session.input_replied": {
      const p = e.payload;
      return { level: p.outcome === "answered" ? "info" : "warn", kind: "input", tag: "input", text: `${p.kind} ${p.outcome} by ${p.actor.actor}${p.reply ? ` · ${JSON.stringify(p.reply)}` : ""}` };
    }
    case "session.model_switched": {
      const p = e.payload;
      return { level: "warn", kind: "model", tag: "model", text: `switched ${p.from} → ${p.to} (${MODEL_SWITCH_TEXT[p.reason]})` };
    }
  }
}

/** The terminal rows of some events, in order (a multi-line event becomes several rows). */
export function toTermLines(events: readonly SessionEvent[]): TermLine[] {
  const out: TermLine[] = [];
  for (const e of events) {
    const d = describe(e);
    wrap(d.text).forEach((text, i) => out.push({ key: `${e.seq}.${i}`, seq: e.seq, ts: e.ts, level: d.level, kind: d.kind, tag: i === 0 ? d.tag : "", text }));
  }
  return out;
}

/** The rows a search and level filter keep (case-insensitive substring on tag and text). */
export function filterLines(lines: readonly TermLine[], query: string, levels: ReadonlySet<LineLevel>): TermLine[] | readonly TermLine[] {
  const q = query.trim().toLowerCase();
  if (!q && levels.size === 4) return lines;
  return lines.filter((l) => levels.has(l.level) && (!q || l.text.toLowerCase().includes(q) || l.tag.toLowerCase().includes(q)));
}
