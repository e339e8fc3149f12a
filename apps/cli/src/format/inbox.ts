import type { InboxItem } from "@industrial/core";
import type { Colors } from "./colors";
import { renderTable } from "./table";
import { formatAge, shortId, truncate } from "./text";

/*
 * The inbox as the CLI shows it (docs/input-requests.md §3, CLI): what
 * OpenCode asks a person, and the exact command that answers it.
 */

const TITLE_COLUMNS = 32;
const ASK_COLUMNS = 60;
/** Changed lines of a diff shown under its row; `--json` has the whole diff. */
const DIFF_PREVIEW_LINES = 3;

/** The command that answers `item`, to copy: `reply` for a permission, `answer` with one placeholder per question. */
export function replyCommand(item: Pick<InboxItem, "id" | "kind" | "questions">): string {
  if (item.kind === "permission") return `orchestrator reply ${item.id} once|always|reject`;
  const slots = (item.questions ?? []).map((q) => `"<${q.header || "answer"}${q.multiple ? ",…" : ""}>"`);
  return `orchestrator answer ${item.id} ${slots.length ? slots.join(" ") : "<answer…>"}`;
}

/** One line of what is asked: `bash: npm test`, `edit src/a.ts`, or the questions' headers. */
export function describeAsk(item: Pick<InboxItem, "permission" | "questions">): string {
  const p = item.permission;
  if (p) return p.command ? `${p.name}: ${p.command}` : `${p.name} ${p.patterns.join(" ")}`.trim();
  return (item.questions ?? []).map((q) => (q.header ? `${q.header}: ${q.question}` : q.question)).join(" / ");
}

/** The first changed lines of a unified diff (file headers and hunk markers left out). */
export function diffPreview(diff: string, max = DIFF_PREVIEW_LINES): string[] {
  const changed = diff.split(/\r?\n/).filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---)( |$)/.test(l));
  return changed.length > max
    ? [...changed.slice(0, max), `… ${changed.length - max} more changed line${changed.length - max === 1 ? "" : "s"}`]
    : changed;
}

/** The lines under a row: a diff's first changes, or each question's options. */
function detailLines(item: InboxItem, c: Colors): string[] {
  if (item.permission?.diff)
    return diffPreview(item.permission.diff).map((l) =>
      l.startsWith("+") ? c.green(l) : l.startsWith("-") ? c.red(l) : c.dim(l),
    );
  return (item.questions ?? []).map((q, i) => {
    const how = [q.multiple ? "one or more, comma-separated" : "one", q.custom ? "or your own text" : null]
      .filter(Boolean)
      .join(" ");
    const options = q.options.map((o) => o.label).join(" | ");
    return c.dim(`${i + 1}. ${options ? `[${options}] ` : ""}(${how})`);
  });
}

/** The `inbox` table: short id, kind, session title, what is asked, age; under each row the diff's first lines or the options. */
export function formatInboxTable(items: readonly InboxItem[], c: Colors, now: Date): string {
  const rows = items.map((item) => [
    c.bold(shortId(item.id)),
    item.kind === "permission" ? c.yellow(item.kind) : c.cyan(item.kind),
    truncate(item.sessionTitle, TITLE_COLUMNS),
    truncate(describeAsk(item), ASK_COLUMNS),
    formatAge(item.createdAt, now),
  ]);
  const columns = ["ID", "KIND", "SESSION", "ASKED", "AGE"].map((header) => ({
    header,
    ...(header === "AGE" ? { align: "right" as const } : {}),
  }));
  const [header, ...lines] = renderTable(columns, rows, c.dim).split("\n");
  const indent = " ".repeat(shortId(items[0]?.id ?? "").length + 2);
  return [
    header!,
    ...lines.flatMap((line, i) => [line, ...detailLines(items[i]!, c).map((d) => `${indent}${d}`)]),
  ].join("\n");
}
