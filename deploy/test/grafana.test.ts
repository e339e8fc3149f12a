import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createMetrics, exportedMetricNames } from "../../apps/server/src/metrics/registry";
import { extractMetricNames, isExportedSeries, labelValuesMetric, type ExportedMetric } from "./promql";

/** The rows operations.md asks for, in this order. */
const ROWS = ["HTTP", "Sessions and queue", "Agents and routing", "Tokens and cost", "Runners", "WebSocket"];

interface Target {
  expr?: string;
  refId: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
  datasource?: { type?: string; uid?: string };
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string | { query: string } }[] };
}

const dashboard = JSON.parse(
  readFileSync(fileURLToPath(new URL("../grafana/orchestrator.json", import.meta.url)), "utf8"),
) as Dashboard;

/** Every panel, rows' collapsed children included. */
function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** Each query panel with the title of the row above it (rows are panels of type "row", in layout order). */
function panelsByRow(): Map<string, Panel[]> {
  const rows = new Map<string, Panel[]>();
  let current = "(before the first row)";
  const ordered = [...dashboard.panels].sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x);
  for (const p of ordered) {
    if (p.type === "row") {
      current = p.title;
      rows.set(current, [...(p.panels ?? [])]);
    } else rows.set(current, [...(rows.get(current) ?? []), p]);
  }
  return rows;
}

async function exported(): Promise<ExportedMetric[]> {
  const metrics = createMetrics();
  const names = await exportedMetricNames(metrics);
  const types = new Map((await metrics.registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]));
  return names.map((name) => ({ name, type: types.get(name) ?? "untyped" }));
}

describe("PromQL metric extraction", () => {
  it("finds metrics, not labels, functions, keywords, durations or Grafana variables", () => {
    expect(
      extractMetricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{instance=~"$instance",route!="/x"}[$__rate_interval])))',
      ),
    ).toEqual(["http_request_duration_seconds_bucket"]);
    expect(
      extractMetricNames(
        'sum(rate(a_total{status=~"5.."}[5m])) / clamp_min(sum(rate(a_total[1h30m] offset 1d)), 1e-9)',
      ),
    ).toEqual(["a_total"]);
    expect(extractMetricNames("count(max by (agent) (b) == 2) or vector(0)")).toEqual(["b"]);
    expect(extractMetricNames("sum(x) by (instance) * on (instance) group_left (version) y")).toEqual(["x", "y"]);
    expect(extractMetricNames('label_replace(up_total, "a", "$1", "b", "(.*)")')).toEqual(["up_total"]);
    expect(() => extractMetricNames("made_up_function(x)")).toThrow(/unknown PromQL function/);
  });

  it("accepts histogram series only for histograms, and counters by their registered name", () => {
    const exp: ExportedMetric[] = [
      { name: "h_seconds", type: "histogram" },
      { name: "c_total", type: "counter" },
      { name: "g", type: "gauge" },
    ];
    for (const s of ["h_seconds_bucket", "h_seconds_sum", "h_seconds_count", "h_seconds", "c_total", "g"])
      expect(isExportedSeries(s, exp), s).toBe(true);
    for (const s of ["c_total_count", "c", "g_bucket", "g_sum", "h_bucket", "nope"])
      expect(isExportedSeries(s, exp), s).toBe(false);
  });

  it("reads the metric of a label_values() variable", () => {
    expect(labelValuesMetric("label_values(orchestrator_ws_connections, instance)")).toEqual([
      "orchestrator_ws_connections",
    ]);
    expect(labelValuesMetric("label_values(instance)")).toEqual([]);
  });
});

describe("deploy/grafana/orchestrator.json", () => {
  it("has the six rows of operations.md, each with query panels", () => {
    const rows = panelsByRow();
    for (const title of ROWS) {
      expect([...rows.keys()], `row "${title}"`).toContain(title);
      expect(
        rows.get(title)!.filter((p) => p.targets?.length).length,
        `query panels in row "${title}"`,
      ).toBeGreaterThanOrEqual(2);
    }
    expect([...rows.keys()].filter((t) => ROWS.includes(t))).toEqual(ROWS);
    expect(rows.has("(before the first row)"), "no panel above the first row").toBe(false);
  });

  it("queries only metrics the orchestrator exports (exportedMetricNames)", async () => {
    const exp = await exported();
    const problems: string[] = [];
    let queries = 0;
    for (const p of allPanels(dashboard.panels)) {
      if (p.type === "row") continue;
      if (!p.targets?.length) problems.push(`panel "${p.title}" has no query`);
      for (const t of p.targets ?? []) {
        if (!t.expr?.trim()) {
          problems.push(`panel "${p.title}" ${t.refId}: empty query`);
          continue;
        }
        queries++;
        const names = extractMetricNames(t.expr);
        if (!names.length) problems.push(`panel "${p.title}" ${t.refId}: selects no metric: ${t.expr}`);
        for (const n of names)
          if (!isExportedSeries(n, exp)) problems.push(`panel "${p.title}" ${t.refId}: ${n} is not exported`);
      }
    }
    for (const v of dashboard.templating.list.filter((v) => v.type === "query")) {
      const q = typeof v.query === "string" ? v.query : (v.query?.query ?? "");
      for (const n of labelValuesMetric(q))
        if (!isExportedSeries(n, exp)) problems.push(`variable $${v.name}: ${n} is not exported`);
    }
    expect(problems).toEqual([]);
    expect(queries).toBeGreaterThan(30);
  });

  it("shows every metric the orchestrator defines (process defaults aside)", async () => {
    const queried = new Set(
      allPanels(dashboard.panels)
        .flatMap((p) => p.targets ?? [])
        .flatMap((t) => extractMetricNames(t.expr ?? ""))
        .map((n) => n.replace(/_(bucket|sum|count)$/, "")),
    );
    const own = (await exported())
      .map((m) => m.name)
      .filter((n) => n.startsWith("orchestrator_") || n.startsWith("http_"));
    expect(own.length).toBeGreaterThanOrEqual(17);
    expect(own.filter((n) => !queried.has(n))).toEqual([]);
  });

  it("has unique panel ids, panels inside the 24-column grid, and every query on the data source variable", () => {
    const panels = allPanels(dashboard.panels);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect(p.gridPos.x + p.gridPos.w, `panel "${p.title}" width`).toBeLessThanOrEqual(24);
      if (p.type !== "row") expect(p.datasource?.uid, `panel "${p.title}" data source`).toBe("${datasource}");
    }
    expect(dashboard.templating.list.find((v) => v.name === "datasource")?.type).toBe("datasource");
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
  });
});
