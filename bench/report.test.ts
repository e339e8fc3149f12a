import { describe, expect, it } from "vitest";
import { formatBenchTable, ratioOf, renderBenchChart, type BenchRow } from "./report";

const rows: BenchRow[] = [
  {
    figure: "dispatches/s",
    unit: "/s",
    baseline: 14000,
    ours: 1200,
    better: "higher",
    target: "≥ 2 000/s",
    met: false,
  },
  {
    figure: "agent command <sandbox> & co",
    unit: "ms",
    baseline: 2.5,
    ours: 6.5,
    better: "lower",
    target: "≤ +20 ms",
    met: true,
  },
];

describe("the bench's table and chart", () => {
  it("prints every figure with its baseline, ours, the ratio, the target and the verdict, in aligned columns", () => {
    const lines = formatBenchTable(rows).split("\n");
    expect(lines[0]).toMatch(/^figure\s+baseline\s+ours\s+ratio\s+target/);
    expect(lines[2]).toMatch(/^dispatches\/s\s+14000 \/s\s+1200 \/s\s+0\.086×\s+≥ 2 000\/s\s+NOT met$/);
    expect(lines[3]).toMatch(/2\.50 ms\s+6\.50 ms\s+2\.600×\s+≤ \+20 ms\s+met$/);
    expect(new Set(lines.slice(2).map((l) => l.indexOf("×")))).toHaveLength(1);
    expect(ratioOf({ ...rows[0]!, baseline: 0 })).toBeNaN();
  });

  it("draws two bars per figure on the figure's own scale, escapes text, and marks a missed target", () => {
    const svg = renderBenchChart(rows, "bench <today>");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("bench &lt;today&gt;");
    expect(svg).toContain("agent command &lt;sandbox&gt; &amp; co");
    const widths = [...svg.matchAll(/<rect x="330" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
    // The longer bar of each figure is full width; the other in proportion.
    expect(widths).toEqual([400, Math.round((1200 / 14000) * 400), Math.round((2.5 / 6.5) * 400), 400]);
    expect(svg).toMatch(/fill="#d40000">NOT met</);
    expect(svg).toMatch(/fill="#000">met</);
  });
});
