import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One figure of `npm run bench`: ours against a baseline measured in the same run. */
export interface BenchRow {
  figure: string;
  unit: string;
  baseline: number;
  ours: number;
  /** Which way is better for this figure. */
  better: "higher" | "lower";
  /** The target, as a person reads it. */
  target: string;
  /** null: no target. */
  met: boolean | null;
}

/** ours ÷ baseline. */
export const ratioOf = (r: BenchRow): number => (r.baseline === 0 ? Number.NaN : r.ours / r.baseline);

const fmt = (n: number): string =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
const verdict = (met: boolean | null) => (met === null ? "—" : met ? "met" : "NOT met");

/** The whole table, fixed width, as printed at the end of a run. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const cells = [
    ["figure", "baseline", "ours", "ratio", "target", ""],
    ...rows.map((r) => [
      r.figure,
      `${fmt(r.baseline)} ${r.unit}`,
      `${fmt(r.ours)} ${r.unit}`,
      `${ratioOf(r).toFixed(3)}×`,
      r.target,
      verdict(r.met),
    ]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 1 || i === 2 || i === 3 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * The table drawn: per figure, the baseline and ours as two bars on the
 * figure's own scale (the longer one full width), the ratio and the verdict.
 * A standalone SVG in the dashboard's manner (monospace, hard edges).
 */
export function renderBenchChart(rows: readonly BenchRow[], title: string): string {
  const width = 900;
  const label = 330;
  const bar = width - label - 170;
  const rowHeight = 64;
  const height = 56 + rows.length * rowHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="JetBrains Mono, ui-monospace, monospace" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="15" font-weight="700" fill="#000">${escape(title)}</text>`,
    `<text x="${width - 16}" y="28" text-anchor="end" fill="#555">■ baseline  <tspan fill="#0047ff">■ ours</tspan></text>`,
  ];
  rows.forEach((r, i) => {
    const y = 48 + i * rowHeight;
    const max = Math.max(r.baseline, r.ours) || 1;
    const w = (v: number) => Math.max(1, Math.round((v / max) * bar));
    const colour = r.met === false ? "#d40000" : "#000";
    parts.push(
      `<line x1="16" y1="${y}" x2="${width - 16}" y2="${y}" stroke="#000" stroke-width="1"/>`,
      `<text x="16" y="${y + 22}" fill="#000">${escape(r.figure.length > 44 ? `${r.figure.slice(0, 43)}…` : r.figure)}</text>`,
      `<text x="16" y="${y + 42}" fill="#555">${escape(`target ${r.target}`)}</text>`,
      `<rect x="${label}" y="${y + 10}" width="${w(r.baseline)}" height="16" fill="#9a9a9a"/>`,
      `<text x="${label + w(r.baseline) + 6}" y="${y + 23}" fill="#555">${escape(`${fmt(r.baseline)} ${r.unit}`)}</text>`,
      `<rect x="${label}" y="${y + 32}" width="${w(r.ours)}" height="16" fill="#0047ff"/>`,
      `<text x="${label + w(r.ours) + 6}" y="${y + 45}" fill="#0047ff">${escape(`${fmt(r.ours)} ${r.unit}`)}</text>`,
      `<text x="${width - 16}" y="${y + 22}" text-anchor="end" font-weight="700" fill="${colour}">${escape(`${ratioOf(r).toFixed(2)}×`)}</text>`,
      `<text x="${width - 16}" y="${y + 42}" text-anchor="end" font-weight="700" fill="${colour}">${verdict(r.met)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** Writes `latest.json` (the rows, when and where measured) and `latest.svg` into `dir`. */
export function writeBenchResults(
  dir: string,
  rows: readonly BenchRow[],
  meta: { startedAt: string; machine: string },
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "latest.json"),
    `${JSON.stringify({ ...meta, rows: rows.map((r) => ({ ...r, ratio: ratioOf(r) })) }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, "latest.svg"),
    `${renderBenchChart(rows, `npm run bench — ${meta.startedAt.slice(0, 10)}, ${meta.machine}`)}\n`,
  );
}
