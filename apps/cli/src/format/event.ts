import { assertNever, type SessionEvent } from "@industrial/core";
import { statusPaint, type Colors } from "./colors";
import { describeAsk, replyCommand } from "./inbox";
import { formatClock, formatCost, formatCount, oneLine, shortId, truncate } from "./text";

/** Tool input/output summaries are cut to this; `show`/the API keep the full text. */
const SUMMARY_COLUMNS = 120;

/**
 * One line per event: `HH:MM:SS #seq kind  details`. The kind column is
 * fixed-width so a scrolling log reads like a table. Exhaustive over the
 * event catalogue: a new event type fails to compile until it has a format.
 */
export function formatEvent(event: SessionEvent, c: Colors): string {
  const head = `${c.gray(formatClock(event.ts))} ${c.dim(`#${String(event.seq).padEnd(4)}`)}`;
  const kind = (k: string, paint = c.bold) => paint(k.padEnd(10));
  return `${head} ${describeEvent(event, c, kind)}`;
}

function describeEvent(e: SessionEvent, c: Colors, kind: (k: string, paint?: (s: string) => string) => string): string {
  switch (e.type) {
    case "session.created":
      return `${kind("created")} ${JSON.stringify(e.payload.title)} (${e.payload.type}, priority ${e.payload.priority})`;
    case "session.status_changed": {
      const { from, to, reason } = e.payload;
      const arrow = `${statusPaint(c, from)(from)} → ${statusPaint(c, to)(to)}`;
      return `${kind("status")} ${arrow}${reason ? c.gray(`  ${oneLine(reason)}`) : ""}`;
    }
    case "session.attempt": {
      const p = e.payload;
      const where = [p.agentId && `agent ${shortId(p.agentId)}`, p.runnerId && `runner ${shortId(p.runnerId)}`]
        .filter(Boolean)
        .join(", ");
      return `${kind("attempt")} #${p.attempt} ${p.action}${where ? ` (${where})` : ""}`;
    }
    case "session.log": {
      const p = e.payload;
      const paint =
        p.level === "error" ? c.red : p.level === "warn" ? c.yellow : p.level === "debug" ? c.gray : (s: string) => s;
      return `${kind("log")} ${c.dim(`[${p.source}]`)} ${paint(oneLine(p.text))}`;
    }
    case "session.tool": {
      const p = e.payload;
      const paint = p.status === "error" ? c.red : p.status === "completed" ? c.green : c.yellow;
      const about = p.title ?? p.input;
      const output = p.status === "error" && p.output ? c.red(`  ${truncate(p.output, SUMMARY_COLUMNS)}`) : "";
      return `${kind("tool")} ${c.bold(p.tool)} ${paint(p.status)}${about ? ` ${truncate(about, SUMMARY_COLUMNS)}` : ""}${output}`;
    }
    case "session.file_edited": {
      const p = e.payload;
      return `${kind("edit")} ${p.path} ${c.green(`+${p.added}`)} ${c.red(`−${p.removed}`)}`;
    }
    case "session.tokens": {
      const t = e.payload.totals;
      const cache =
        t.cacheRead || t.cacheWrite ? `, cache ${formatCount(t.cacheRead)}r/${formatCount(t.cacheWrite)}w` : "";
      return `${kind("tokens", c.dim)} in ${formatCount(t.input)}, out ${formatCount(t.output)}, reasoning ${formatCount(t.reasoning)}${cache} · ${formatCost(e.payload.cost)}`;
    }
    case "session.checkpoint": {
      const p = e.payload;
      const commit = p.gitCommit ? `, commit ${p.gitCommit.slice(0, 8)}` : "";
      return `${kind("checkpoint", c.magenta)} #${p.seq} ${p.trigger} (hash ${p.hash.slice(0, 12)}${commit})`;
    }
    case "session.restored": {
      const p = e.payload;
      return `${kind("restored", c.magenta)} to checkpoint #${p.seq}${p.gitCommit ? ` (commit ${p.gitCommit.slice(0, 8)})` : ""}`;
    }
    case "session.todo": {
      const todos = e.payload.todos;
      const done = todos.filter((t) => t.status === "completed").length;
      const current = todos.find((t) => t.status === "in_progress");
      return `${kind("todo")} ${done}/${todos.length} done${current ? ` · now: ${truncate(current.content, SUMMARY_COLUMNS)}` : ""}`;
    }
    case "session.input_requested": {
      // Highlighted: the session waits for a person, and the line says what to run (docs/input-requests.md §3, CLI).
      const p = e.payload;
      const loud = (t: string) => c.bold(c.yellow(t));
      return `${kind("input", loud)} ${loud(`▶ ${p.kind} waits for an answer:`)} ${truncate(describeAsk(p), SUMMARY_COLUMNS)}  ${c.cyan(`→ ${replyCommand(p)}`)}`;
    }
    case "session.input_replied": {
      const p = e.payload;
      const paint = p.outcome === "answered" ? c.green : p.outcome === "rejected" ? c.red : c.gray;
      return `${kind("input")} ${p.kind} ${paint(p.outcome)} by ${p.actor.actor}${p.reply ? c.dim(`  ${truncate(JSON.stringify(p.reply), SUMMARY_COLUMNS)}`) : ""}`;
    }
    case "session.model_switched": {
      const p = e.payload;
      return `${kind("model", c.yellow)} ${c.yellow(`switched ${p.from} → ${p.to}`)} ${c.dim(`(${p.reason})`)}`;
    }
    default:
      return assertNever(e, "session event");
  }
}

/** A short "what is it doing" text for the spinner: the last log line or tool call among `events`. */
export function lastActivity(events: readonly SessionEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e?.type === "session.log") return oneLine(e.payload.text);
    if (e?.type === "session.tool")
      return `${e.payload.tool} ${e.payload.status}${e.payload.title ? ` ${oneLine(e.payload.title)}` : ""}`;
  }
  return null;
}
