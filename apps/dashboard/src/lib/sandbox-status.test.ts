import { describe, expect, it } from "vitest";
import { computeSandboxLine } from "./sandbox-status";

// The server's details, as apps/server/src/runtime/sandbox-setup.ts writes them.
describe("the Runners page's sandbox line", () => {
  it("says sandboxed, with the mechanism", () => {
    expect(
      computeSandboxLine({
        status: "up",
        detail: "bubblewrap (/usr/bin/bwrap): each session's commands see its own folder only",
      }),
    ).toEqual({
      status: "up",
      tone: "running",
      label: "Sandboxed: bubblewrap",
      detail: "bubblewrap (/usr/bin/bwrap): each session's commands see its own folder only",
    });
  });

  it("says UNSANDBOXED and refused loudly, without repeating the state in the detail", () => {
    const off = computeSandboxLine({
      status: "degraded",
      detail: "unsandboxed: ORCHESTRATOR_SANDBOX=off: agents' commands run unsandboxed",
    });
    expect(off).toMatchObject({
      tone: "degraded",
      label: "UNSANDBOXED",
      detail: "ORCHESTRATOR_SANDBOX=off: agents' commands run unsandboxed",
    });
    const refused = computeSandboxLine({
      status: "down",
      detail: "sessions refused: bubblewrap (bwrap) is not installed: apt-get install bubblewrap",
    });
    expect(refused).toMatchObject({
      tone: "failed",
      label: "Sessions refused",
      detail: "bubblewrap (bwrap) is not installed: apt-get install bubblewrap",
    });
  });

  it("says when there are no managed runners to sandbox, and nothing when the server reports no sandbox", () => {
    expect(
      computeSandboxLine({
        status: "standby",
        detail: "no managed runners: remote runners sandbox their own commands",
      }),
    ).toMatchObject({
      tone: "neutral",
      label: "No managed runners",
      detail: "remote runners sandbox their own commands",
    });
    expect(computeSandboxLine({ status: "down" })).toMatchObject({ detail: "" });
    expect(computeSandboxLine(undefined)).toBeNull();
  });
});
