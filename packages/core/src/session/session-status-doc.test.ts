import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canTransition, SESSION_STATUSES } from "./session-status";

// docs/domain.md draws the session's state machine for people; this keeps the drawing and the
// table that decides (canTransition) the same, edge by edge. Moves to `orphaned` are left out of
// the drawing on purpose (any state that is not terminal may take them), and the doc says so.
const doc = readFileSync(new URL("../../../../docs/domain.md", import.meta.url), "utf8");
const diagram = /```mermaid\nstateDiagram-v2\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
// `[*] --> pending` (the start) is not a word pair, so it is not read as a move.
const drawn = [...diagram.matchAll(/^\s*(\w+) --> (\w+)\s*$/gm)].map(([, from, to]) => `${from} --> ${to}`);

describe("the state diagram of docs/domain.md", () => {
  it("is found", () => {
    expect(diagram).not.toBe("");
  });

  it("draws exactly the transitions core allows, but those to orphaned", () => {
    const table = new Set<string>();
    for (const from of SESSION_STATUSES)
      for (const to of SESSION_STATUSES)
        if (to !== "orphaned" && canTransition(from, to)) table.add(`${from} --> ${to}`);
    expect([...drawn].sort()).toEqual([...table].sort());
  });
});
