import type { RouteDecisionSchema, ScoreBreakdownSchema } from "@industrial/contracts";
import { ROUTING_WEIGHTS } from "@industrial/core";
import type { z } from "zod";
import type { Colors } from "./colors";
import { renderTable } from "./table";
import { shortId } from "./text";

type ScoreBreakdown = z.output<typeof ScoreBreakdownSchema>;
type RouteDecision = z.output<typeof RouteDecisionSchema>;

/** The weighted terms in the order routing adds them (core's ROUTING_WEIGHTS is the one source of the weights). */
const TERMS = Object.keys(ROUTING_WEIGHTS) as (keyof typeof ROUTING_WEIGHTS)[];

/** Column headers of the alternatives table (the term names, shortened where they are long). */
const HEADERS: Record<(typeof TERMS)[number], string> = {
  tier: "TIER",
  capabilitySuccess: "CAPABILITY",
  load: "LOAD",
  cost: "COST",
  affinity: "AFFINITY",
};

const fixed = (n: number, digits: number) => n.toFixed(digits);

/**
 * The score of one agent as a small table: each term's weight, its value
 * (0–1) and what it adds to the total (weight × value), then the total.
 */
export function formatScoreTable(score: ScoreBreakdown, c: Colors): string {
  const rows = TERMS.map((term) => [
    term,
    fixed(ROUTING_WEIGHTS[term], 2),
    fixed(score[term], 2),
    fixed(ROUTING_WEIGHTS[term] * score[term], 3),
  ]);
  rows.push([c.bold("total"), "", "", c.bold(fixed(score.total, 3))]);
  const columns = [
    { header: "TERM" },
    ...["WEIGHT", "VALUE", "WEIGHTED"].map((header) => ({ header, align: "right" as const })),
  ];
  return renderTable(columns, rows, c.dim);
}

/** The runners-up, one row each: total first, then each term's value. */
function formatAlternatives(alternatives: RouteDecision["alternatives"], c: Colors): string {
  const rows = alternatives.map((a) => [
    a.agentName,
    fixed(a.score.total, 3),
    ...TERMS.map((t) => fixed(a.score[t], 2)),
  ]);
  const columns = [
    { header: "AGENT" },
    ...["TOTAL", ...TERMS.map((t) => HEADERS[t])].map((header) => ({ header, align: "right" as const })),
  ];
  return renderTable(columns, rows, c.dim);
}

/**
 * `agents route`: the choice, its score breakdown, the alternatives, the
 * agents that could not take the session and why, and routing's own reason.
 */
export function formatRouteDecision(d: RouteDecision, c: Colors): string {
  const sections: string[] = [];
  sections.push(
    d.agentId && d.agentName
      ? `${c.dim("chosen")}  ${c.green(c.bold(d.agentName))} ${c.gray(`(${shortId(d.agentId)})`)}`
      : `${c.dim("chosen")}  ${c.yellow("no agent can take it now")}`,
  );
  if (d.score) sections.push(formatScoreTable(d.score, c));
  if (d.alternatives.length) sections.push(`${c.bold("alternatives")}\n${formatAlternatives(d.alternatives, c)}`);
  if (d.excluded.length) {
    const rows = d.excluded.map((e) => [e.agentName, c.yellow(e.why)]);
    sections.push(`${c.bold("excluded")}\n${renderTable([{ header: "AGENT" }, { header: "WHY" }], rows, c.dim)}`);
  }
  sections.push(`${c.dim("reason")}  ${d.reason}`);
  return sections.join("\n\n");
}
