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
export function renderTable(columns: Column[], rows: string[][], paintHeader: (s: string) => string = (s) => s): string {
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
  return [line(columns.map((c) => c.header), true), ...rows.map((r) => line(r, false))].join("\n");
}
