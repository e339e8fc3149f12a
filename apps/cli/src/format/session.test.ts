import { describe, expect, it } from "vitest";
import { createColors } from "./colors";
import { formatSessionDetail, formatSessionTable, formatToolCalls } from "./session";
import { sessionFixture } from "./session-fixture";

const plain = createColors(false);
const now = new Date("2026-11-22T03:25:23.393Z");

describe("formatSessionTable", () => {
  it("shows short id, status, priority, title, agent and age", () => {
    const queued = sessionFixture({
      id: "0a1b2c3d-0000-4000-8000-000000000000",
      status: "queued",
      agentId: null,
      title: "x".repeat(60),
      createdAt: "2026-11-22T01:25:23.393Z",
    });
    expect(formatSessionTable([sessionFixture(), queued], plain, now).split("\n")).toEqual([
      `ID        STATUS     PRIORITY  TITLE${" ".repeat(43)}  AGENT     AGE`,
      `9371ba73  completed  medium    Say hi${" ".repeat(42)}  86a2012d   2m`,
      `0a1b2c3d  queued     medium    ${"x".repeat(47)}…  -          2h`,
    ]);
  });
});

describe("formatToolCalls", () => {
  it("lists the most used tools first", () => {
    expect(formatToolCalls({ write: 1, bash: 3, read: 1 })).toBe("bash×3, read×1, write×1");
    expect(formatToolCalls({})).toBe("none");
  });
});

describe("formatSessionDetail", () => {
  it("shows fields, workspace and metrics, leaving out empty ones", () => {
    const out = formatSessionDetail(sessionFixture(), plain, now);
    expect(out).toContain("status       completed (the last assistant turn finished without error)");
    expect(out).toContain("tokens       in 4.9k, out 19, reasoning 0, cache 0r/0w");
    expect(out).toContain("cost         $0.0049 over 2 model calls");
    expect(out).toContain("tools        write×1");
    expect(out).toContain("files        1 changed, +1 −0");
    expect(out).toContain("directory    /tmp/work");
    expect(out).toContain("result       done");
    expect(out).not.toMatch(/^model|^error|^repository|^tags/m);
    expect(out).not.toContain("\n\n\n");
  });

  it("shows the error and a pending request", () => {
    const s = sessionFixture({
      status: "running",
      requestedAction: "pause",
      error: { code: "PROVIDER_ERROR", message: "boom", retryable: true },
      result: null,
    });
    const out = formatSessionDetail(s, plain, now);
    expect(out).toContain("running (the last assistant turn finished without error) · pause requested");
    expect(out).toContain("error        PROVIDER_ERROR: boom (retryable)");
  });
});
