/**
 * Metric names in a PromQL expression, found by a small tokenizer rather than
 * a regular expression over the text, so that label names (inside `{…}`,
 * `by (…)`, `on (…)`…), label values, function names, keywords, durations,
 * numbers and Grafana variables (`$__rate_interval`, `${instance}`) are never
 * mistaken for metrics. An unknown function name is an error: it means the
 * expression is not what the checker understands.
 */

const FUNCTIONS = new Set([
  "abs",
  "absent",
  "absent_over_time",
  "avg_over_time",
  "ceil",
  "changes",
  "clamp",
  "clamp_max",
  "clamp_min",
  "count_over_time",
  "day_of_month",
  "day_of_week",
  "day_of_year",
  "days_in_month",
  "delta",
  "deriv",
  "exp",
  "floor",
  "histogram_avg",
  "histogram_count",
  "histogram_fraction",
  "histogram_quantile",
  "histogram_stddev",
  "histogram_stdvar",
  "histogram_sum",
  "holt_winters",
  "hour",
  "idelta",
  "increase",
  "irate",
  "label_join",
  "label_replace",
  "last_over_time",
  "ln",
  "log10",
  "log2",
  "max_over_time",
  "min_over_time",
  "minute",
  "month",
  "predict_linear",
  "present_over_time",
  "quantile_over_time",
  "rate",
  "resets",
  "round",
  "scalar",
  "sgn",
  "sort",
  "sort_by_label",
  "sort_by_label_desc",
  "sort_desc",
  "sqrt",
  "start",
  "end",
  "stddev_over_time",
  "stdvar_over_time",
  "sum_over_time",
  "time",
  "timestamp",
  "vector",
  "year",
]);
const AGGREGATIONS = new Set([
  "sum",
  "min",
  "max",
  "avg",
  "group",
  "stddev",
  "stdvar",
  "count",
  "count_values",
  "bottomk",
  "topk",
  "quantile",
  "limitk",
  "limit_ratio",
]);
/** Keywords followed by a parenthesised list of label names. */
const LABEL_LIST_KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);
const OPERATOR_WORDS = new Set(["and", "or", "unless", "bool", "offset", "atan2"]);

type Token = { kind: "ident" | "punct" | "string" | "number" | "var"; text: string };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "#") {
      while (i < expr.length && expr[i] !== "\n") i++; // comment
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) j += expr[j] === "\\" && c !== "`" ? 2 : 1;
      if (j >= expr.length) throw new Error(`unterminated string in: ${expr}`);
      tokens.push({ kind: "string", text: expr.slice(i, j + 1) });
      i = j + 1;
    } else if (c === "$") {
      // Grafana variable: $name, ${name}, ${name:format}, [[name]] is not used here.
      const m = /^\$(\{[^}]*\}|\w+)/.exec(expr.slice(i));
      if (!m) throw new Error(`bad variable at ${i} in: ${expr}`);
      tokens.push({ kind: "var", text: m[0] });
      i += m[0].length;
    } else if (/[0-9.]/.test(c)) {
      // Numbers, and durations such as 5m or 1h30m (only inside [...] or after offset).
      const m = /^(0x[0-9a-f]+|[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?([smhdwy]|ms)*([0-9]+([smhdwy]|ms))*)/i.exec(
        expr.slice(i),
      );
      tokens.push({ kind: "number", text: m![0] });
      i += m![0].length;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))!;
      tokens.push({ kind: "ident", text: m[0] });
      i += m[0].length;
    } else {
      const m = /^(==|!=|>=|<=|=~|!~|[-+*/%^<>=(){}[\],@])/.exec(expr.slice(i));
      if (!m) throw new Error(`unexpected character ${JSON.stringify(c)} at ${i} in: ${expr}`);
      tokens.push({ kind: "punct", text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/** Skips from an opening bracket to just past its match. */
function skipGroup(tokens: Token[], start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    if (tokens[i]!.text === open) depth++;
    else if (tokens[i]!.text === close && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced ${open}${close}`);
}

/** The metric names an expression selects, deduplicated, in order of appearance. */
export function extractMetricNames(expr: string): string[] {
  const tokens = tokenize(expr);
  const names: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === "punct" && t.text === "{") {
      i = skipGroup(tokens, i, "{", "}") - 1; // label matchers: names and values, never metrics
      continue;
    }
    if (t.kind === "punct" && t.text === "[") {
      i = skipGroup(tokens, i, "[", "]") - 1; // range or subquery duration
      continue;
    }
    if (t.kind !== "ident") continue;
    const next = tokens[i + 1];
    if (LABEL_LIST_KEYWORDS.has(t.text)) {
      if (next?.text === "(") i = skipGroup(tokens, i + 1, "(", ")") - 1;
      continue;
    }
    if (OPERATOR_WORDS.has(t.text)) continue;
    if (next?.text === "(") {
      if (!FUNCTIONS.has(t.text) && !AGGREGATIONS.has(t.text))
        throw new Error(`unknown PromQL function ${t.text}() in: ${expr}`);
      continue;
    }
    if (AGGREGATIONS.has(t.text) && next && LABEL_LIST_KEYWORDS.has(next.text)) continue; // sum by (x) (…)
    if (!names.includes(t.text)) names.push(t.text);
  }
  return names;
}

/** Grafana's `label_values(metric, label)` / `label_values(label)` variable query: the metric, if any. */
export function labelValuesMetric(query: string): string[] {
  const m = /^\s*label_values\s*\(\s*(?:([^,]+?)\s*,\s*)?[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/.exec(query);
  if (!m) throw new Error(`not a label_values() query: ${query}`);
  return m[1] ? extractMetricNames(m[1]) : [];
}

export interface ExportedMetric {
  name: string;
  type: string;
}

/**
 * Whether a series name is exported: the metric itself, or a histogram's
 * `_bucket` / `_sum` / `_count` series (a summary's `_sum` / `_count`).
 * Counters already carry `_total` in their registered name (prom-client).
 */
export function isExportedSeries(series: string, exported: ExportedMetric[]): boolean {
  if (exported.some((m) => m.name === series)) return true;
  const m = /^(.+)_(bucket|sum|count)$/.exec(series);
  if (!m) return false;
  const base = exported.find((e) => e.name === m[1]);
  if (!base) return false;
  if (base.type === "histogram") return true;
  return base.type === "summary" && m[2] !== "bucket";
}
