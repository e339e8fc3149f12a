import { visibleLength } from "./colors";

export interface Column {
  header: string;
  /** Right-align (numbers). */
  align?: "left" | "right";
}

/**
 * A plain, space-separated table. Cells may carry colour codes; widths are
 * measured without them. The last column is not padded, so long titles do
 * not leave trailing blanks.
 */
export function renderTable(
  columns: Column[],
  rows: string[][],
  paintHeader: (s: string) => string = (s) => s,
): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const line = (cells: string[], header: boolean) =>
    cells
      .map((cell, i) => {
        const last = i === columns.length - 1;
        const gap = " ".repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(cell)));
        const text = header ? paintHeader(cell) : cell;
        if (columns[i]?.align === "right") return gap + text;
        return last ? text : text + gap;
      })
      .join("  ")
      .trimEnd();
  return [
    line(
      columns.map((c) => c.header),
      true,
    ),
    ...rows.map((r) => line(r, false)),
  ].join("\n");
}

/** One `label  value` line of a detail view; a null value is left out, an empty label is a group break. */
export type Pair = readonly [label: string, value: string | null];

/**
 * A detail view (`show`, `agents show`): aligned `label  value` lines with
 * the labels dimmed. Pairs with a null value are left out; a pair with an
 * empty label separates groups with one blank line (never two, never first).
 */
export function renderPairs(pairs: readonly Pair[], paintLabel: (s: string) => string = (s) => s): string {
  const width = Math.max(0, ...pairs.filter(([, v]) => v !== null).map(([k]) => k.length));
  const lines: string[] = [];
  for (const [key, value] of pairs) {
    if (key === "") {
      if (lines.length && lines.at(-1) !== "") lines.push("");
    } else if (value !== null) lines.push(`${paintLabel(key.padEnd(width))}  ${value}`);
  }
  while (lines.at(-1) === "") lines.pop();
  return lines.join("\n");
}
