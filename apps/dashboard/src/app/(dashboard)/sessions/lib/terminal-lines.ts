import type { ModelSwitchReason, SessionEvent } from "@industrial/core";
import { hasEscapes, isStyled, plainOf, toAnsiLines, type AnsiSpan } from "./ansi";

export type LineLevel = "debug" | "info" | "warn" | "error";

/** One row of the live terminal: one line of an event's text, never cut (docs/dashboard-terminal.md). */
export interface TermLine {
  /** Unique: `${seq}.${part}`. */
  key: string;
  seq: number;
  ts: string;
  level: LineLevel;
  /** What kind of event it came from: log, tool, edit, status, checkpoint, tokens, … */
  kind: string;
  /** The source or tool name shown in the prefix column (on an event's first row only). */
  tag: string;
  /** The line as plain text, escape sequences removed: what search, copy and error-finding read. */
  text: string;
  /** The line's coloured runs, only when it has colours or styles (most lines have none). */
  spans?: AnsiSpan[];
  /** Leading spaces: continuation rows of a wrapped line hang at this column, so indentation stays readable. */
  indent: number;
  /** This row's place among its event's rows, and how many there are (long outputs fold). */
  part: number;
  parts: number;
  /** A line worth jumping to: an error-level event's first row, or a line of a log or a tool's output that reads like an error. */
  problem: boolean;
}

/** Why the attempt left a model, in words (docs/input-requests.md §3, Model fallback). */
const MODEL_SWITCH_TEXT: Record<ModelSwitchReason, string> = {
  unavailable: "its provider kept failing",
  auth: "its provider refused the credentials",
  quota: "its quota is spent",
};

/**
 * What a line that reports a failure looks like in tool output: Python's
 * traceback head, `SomethingError:`/`Exception`, Go's `panic:`, compilers'
 * `error:` / `error[E…]`, test runners' FAIL. Case matters, so prose such as
 * "no errors" does not count.
 */
const PROBLEM =
  /\b(?:Traceback \(most recent call last\)|\w*(?:Error|Exception)\b|ERROR\b|FATAL\b|FAIL(?:ED)?\b|panic:|error(?::|\[))/;

/** Whether a line of text reads like an error report. */
export function looksLikeProblem(text: string): boolean {
  return PROBLEM.test(text);
}

function indentOf(text: string): number {
  let i = 0;
  while (i < text.length && text[i] === " ") i++;
  // A line of spaces only has nothing to hang under.
  return i === text.length ? 0 : i;
}

/** An event's text as rows: split on newlines, escape sequences parsed, trailing empty lines dropped. */
function rowsOf(text: string): { text: string; spans?: AnsiSpan[] }[] {
  let out: { text: string; spans?: AnsiSpan[] }[];
  if (hasEscapes(text) || text.includes("\t") || text.includes("\r")) {
    out = toAnsiLines(text).map((spans) =>
      isStyled(spans) ? { text: plainOf(spans), spans } : { text: plainOf(spans) },
    );
  } else {
    out = text.split("\n").map((t) => ({ text: t }));
  }
  while (out.length > 1 && out[out.length - 1]!.text === "") out.pop();
  return out;
}

/** An event in words: its first line(s), and for a tool call its output below them. */
function describe(e: SessionEvent): {
  level: LineLevel;
  kind: string;
  tag: string;
  text: string;
  output?: string | null;
} {
  switch (e.type) {
    case "session.created":
      return {
        level: "info",
        kind: "status",
        tag: "session",
        text: `created "${e.payload.title}" (${e.payload.type}, ${e.payload.priority})`,
      };
    case "session.status_changed":
      return {
        level: e.payload.to === "failed" || e.payload.to === "timeout" ? "error" : "info",
        kind: "status",
        tag: "status",
        text: `${e.payload.from} → ${e.payload.to}${e.payload.reason ? ` · ${e.payload.reason}` : ""}`,
      };
    case "session.attempt":
      return {
        level: "info",
        kind: "attempt",
        tag: "attempt",
        text: `attempt ${e.payload.attempt} ${e.payload.action} on ${e.payload.replica}${e.payload.runnerId ? ` (runner ${e.payload.runnerId.slice(0, 8)})` : ""}`,
      };
    case "session.log":
      return { level: e.payload.level, kind: "log", tag: e.payload.source, text: e.payload.text };
    case "session.tool": {
      const p = e.payload;
      const detail = [p.title, p.input ? `in: ${p.input}` : null].filter(Boolean).join(" · ");
      // The output gets rows of its own: a tool's output is often many lines, and its first line should not be pushed right by the header.
      const output = p.status === "completed" || p.status === "error" ? p.output : null;
      return {
        level: p.status === "error" ? "error" : "info",
        kind: "tool",
        tag: p.tool,
        text: `[${p.status}] ${detail}`,
        output,
      };
    }
    case "session.file_edited":
      return {
        level: "info",
        kind: "edit",
        tag: "edit",
        text: `${e.payload.path} +${e.payload.added} −${e.payload.removed}`,
      };
    case "session.tokens": {
      const t = e.payload.totals;
      return {
        level: "debug",
        kind: "tokens",
        tag: "tokens",
        text: `in ${t.input} · out ${t.output} · reasoning ${t.reasoning} · cache ${t.cacheRead}/${t.cacheWrite} · $${e.payload.cost.toFixed(4)}`,
      };
    }
    case "session.checkpoint":
      return {
        level: "info",
        kind: "checkpoint",
        tag: "checkpoint",
        text: `#${e.payload.seq} ${e.payload.trigger} ${e.payload.hash.slice(0, 12)}${e.payload.gitCommit ? ` commit ${e.payload.gitCommit.slice(0, 8)}` : ""}`,
      };
    case "session.restored":
      return { level: "warn", kind: "checkpoint", tag: "restore", text: `restored to checkpoint #${e.payload.seq}` };
    case "session.todo":
      return {
        level: "debug",
        kind: "todo",
        tag: "todo",
        text: e.payload.todos.map((t) => `[${t.status}] ${t.content}`).join("\n") || "(no todos)",
      };
    case "session.input_requested": {
      const p = e.payload;
      const what = p.permission
        ? `${p.permission.name} ${p.permission.patterns.join(" ")}`
        : (p.questions ?? []).map((q) => q.question).join(" / ");
      return { level: "warn", kind: "input", tag: "input", text: `${p.kind} waits for an answer: ${what}` };
    }
    case "session.input_replied": {
      const p = e.payload;
      return {
        level: p.outcome === "answered" ? "info" : "warn",
        kind: "input",
        tag: "input",
        text: `${p.kind} ${p.outcome} by ${p.actor.actor}${p.reply ? ` · ${JSON.stringify(p.reply)}` : ""}`,
      };
    }
    case "session.model_switched": {
      const p = e.payload;
      return {
        level: "warn",
        kind: "model",
        tag: "model",
        text: `switched ${p.from} → ${p.to} (${MODEL_SWITCH_TEXT[p.reason]})`,
      };
    }
  }
}

/** The terminal rows of some events, in order: one per line of text (an event of several lines becomes several rows). */
export function toTermLines(events: readonly SessionEvent[]): TermLine[] {
  const out: TermLine[] = [];
  for (const e of events) {
    const d = describe(e);
    const head = rowsOf(d.text);
    const rows = d.output ? [...head, ...rowsOf(d.output)] : head;
    // What the agent or a tool wrote is read for error reports; the orchestrator's own summaries (a tool's command among them) are not.
    const scanFrom = d.kind === "log" ? 0 : d.output ? head.length : rows.length;
    rows.forEach((r, i) => {
      const line: TermLine = {
        key: `${e.seq}.${i}`,
        seq: e.seq,
        ts: e.ts,
        level: d.level,
        kind: d.kind,
        tag: i === 0 ? d.tag : "",
        text: r.text,
        indent: indentOf(r.text),
        part: i,
        parts: rows.length,
        problem: (i === 0 && d.level === "error") || (i >= scanFrom && looksLikeProblem(r.text)),
      };
      if (r.spans) line.spans = r.spans;
      out.push(line);
    });
  }
  return out;
}

/**
 * A line's number in the terminal: its event's seq, and on the event's later
 * rows `seq.part` (`1041.3`). It names the line in the log itself, so it does
 * not change when earlier pages are put in front, the window drops its top,
 * or the page is opened again.
 */
export function lineLabel(l: Pick<TermLine, "seq" | "part">): string {
  return l.part ? `${l.seq}.${l.part}` : String(l.seq);
}

/** How many characters the widest label takes: the last seq held, and `.part` after it when an event has several rows. */
export function labelWidth(lastSeq: number, tallest: number): number {
  return String(Math.max(lastSeq, 1)).length + (tallest > 1 ? 1 + String(tallest - 1).length : 0);
}

/** Whether a row passes a search (case-insensitive substring of its text or tag, `q` already lower-cased) and the level filter. */
export function lineMatches(l: TermLine, q: string, levels: ReadonlySet<LineLevel>): boolean {
  return levels.has(l.level) && (!q || l.text.toLowerCase().includes(q) || l.tag.toLowerCase().includes(q));
}

/** The rows a search and level filter keep (case-insensitive substring on tag and text). */
export function filterLines(
  lines: readonly TermLine[],
  query: string,
  levels: ReadonlySet<LineLevel>,
): TermLine[] | readonly TermLine[] {
  const q = query.trim().toLowerCase();
  if (!q && levels.size === 4) return lines;
  return lines.filter((l) => lineMatches(l, q, levels));
}
