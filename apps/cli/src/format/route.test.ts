import { describe, expect, it } from "vitest";
import { createColors, visibleLength } from "./colors";
import { formatRouteDecision, formatScoreTable } from "./route";

const plain = createColors(false);
const score = { tier: 0.4, capabilitySuccess: 0.5, load: 1, cost: 1, affinity: 1, total: 0.665 };
const ids = {
  auditor: "3f2a1b2c-0000-4000-8000-000000000001",
  fallback: "86a2012d-ce2d-4547-bf92-e42d26715992",
  coder: "0c0de000-0000-4000-8000-000000000003",
};

describe("formatScoreTable", () => {
  it("shows each weighted term's weight, value and share of the total, then the total", () => {
    expect(formatScoreTable(score, plain).split("\n")).toEqual([
      "TERM               WEIGHT  VALUE  WEIGHTED",
      "tier                 0.35   0.40     0.140",
      "capabilitySuccess    0.25   0.50     0.125",
      "load                 0.20   1.00     0.200",
      "cost                 0.10   1.00     0.100",
      "affinity             0.10   1.00     0.100",
      "total                                0.665",
    ]);
  });

  it("keeps its columns aligned when the total is bold", () => {
    const c = createColors(true);
    const lines = formatScoreTable(score, c).split("\n");
    expect(new Set(lines.map(visibleLength)).size).toBe(1);
    expect(lines.at(-1)).toContain(c.bold("0.665"));
  });
});

describe("formatRouteDecision", () => {
  it("prints the choice, its score, the alternatives, the excluded agents and the reason, in that order", () => {
    const out = formatRouteDecision(
      {
        agentId: ids.auditor,
        agentName: "auditor",
        score,
        alternatives: [{ agentId: ids.fallback, agentName: "default", score: { ...score, affinity: 0, total: 0.565 } }],
        excluded: [{ agentId: ids.coder, agentName: "coder", why: "lacks a required capability" }],
        reason: "auditor scored 0.67 (tier PROBATION, load 0/2), ahead of 1 other candidate",
      },
      plain,
    );
    const lines = out.split("\n");
    expect(lines[0]).toBe("chosen  auditor (3f2a1b2c)");
    expect(out).toContain(formatScoreTable(score, plain));
    expect(out).toContain(
      [
        "alternatives",
        "AGENT    TOTAL  TIER  CAPABILITY  LOAD  COST  AFFINITY",
        "default  0.565  0.40        0.50  1.00  1.00      0.00",
      ].join("\n"),
    );
    expect(out).toContain(["excluded", "AGENT  WHY", "coder  lacks a required capability"].join("\n"));
    expect(lines.at(-1)).toBe("reason  auditor scored 0.67 (tier PROBATION, load 0/2), ahead of 1 other candidate");
    const order = ["chosen", "TERM", "alternatives", "excluded", "reason"].map((s) => out.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("says when no agent can take the session, without a score table", () => {
    const out = formatRouteDecision(
      {
        agentId: null,
        agentName: null,
        score: null,
        alternatives: [],
        excluded: [{ agentId: ids.coder, agentName: "coder", why: "status is draining" }],
        reason: "waiting for an agent with security_audit: 1 status is draining",
      },
      plain,
    );
    expect(out.split("\n")).toEqual([
      "chosen  no agent can take it now",
      "",
      "excluded",
      "AGENT  WHY",
      "coder  status is draining",
      "",
      "reason  waiting for an agent with security_audit: 1 status is draining",
    ]);
  });
});
