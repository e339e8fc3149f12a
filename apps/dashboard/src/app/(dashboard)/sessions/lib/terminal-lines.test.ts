import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { filterLines, toTermLines, WRAP } from "./terminal-lines";

const ev = (seq: number, type: string, payload: object) => ({ sessionId: "s", seq, attempt: 1, ts: "2025-01-01T00:00:00.000Z", type, payload }) as unknown as SessionEvent;

describe("terminal lines", () => {
  it("turns events into rows with levels, one per line of text, keyed by seq", () => {
    const lines = toTermLines([
      ev(1, "session.status_changed", { from: "queued", to: "running", reason: null }),
      ev(2, "session.log", { level: "warn", source: "assistant", text: "first\nsecond" }),
      ev(3, "session.tool", { callId: "c", tool: "write", status: "error", title: "hello.txt", input: null, output: "denied" }),
    ]);
    expect(lines.map((l) => [l.key, l.level, l.tag, l.text])).toEqual([
      ["1.0", "info", "status", "queued → running"],
      ["2.0", "warn", "assistant", "first"],
      ["2.1", "warn", "", "second"],
      ["3.0", "error", "write", "[error] hello.txt · out: denied"],
    ]);
  });

  it("shows a model switch as a warning naming both models and why", () => {
    const [line] = toTermLines([ev(4, "session.model_switched", { from: "scripted/scripted-unavailable", to: "scripted/scripted-model", reason: "quota" })]);
    expect([line?.level, line?.kind, line?.tag, line?.text]).toEqual(["warn", "model", "model", "switched scripted/scripted-unavailable → scripted/scripted-model (its quota is spent)"]);
  });

  it("hard-wraps long lines so every row has one height", () => {
    const lines = toTermLines([ev(1, "session.log", { level: "info", source: "opencode", text: "x".repeat(WRAP * 2 + 5) })]);
    expect(lines.map((l) => l.text.length)).toEqual([WRAP, WRAP, 5]);
  });

  it("filters by text and level", () => {
    const lines = toTermLines([ev(1, "session.log", { level: "info", source: "user", text: "Alpha" }), ev(2, "session.log", { level: "error", source: "user", text: "beta" })]);
    expect(filterLines(lines, "ALPHA", new Set(["debug", "info", "warn", "error"]))).toHaveLength(1);
    expect(filterLines(lines, "", new Set(["error"])).map((l) => l.text)).toEqual(["beta"]);
  });
});
