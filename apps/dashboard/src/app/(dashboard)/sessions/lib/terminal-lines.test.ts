import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { filterLines, labelWidth, lineLabel, looksLikeProblem, toTermLines } from "./terminal-lines";

const ev = (seq: number, type: string, payload: object) =>
  ({ sessionId: "s", seq, attempt: 1, ts: "2025-01-01T00:00:00.000Z", type, payload }) as unknown as SessionEvent;

describe("terminal lines", () => {
  it("turns events into rows with levels, one per line of text, keyed by seq; a tool's output on rows of its own", () => {
    const lines = toTermLines([
      ev(1, "session.status_changed", { from: "queued", to: "running", reason: null }),
      ev(2, "session.log", { level: "warn", source: "assistant", text: "first\nsecond" }),
      ev(3, "session.tool", {
        callId: "c",
        tool: "write",
        status: "error",
        title: "hello.txt",
        input: null,
        output: "denied",
      }),
    ]);
    expect(lines.map((l) => [l.key, l.level, l.tag, l.text, l.part, l.parts])).toEqual([
      ["1.0", "info", "status", "queued → running", 0, 1],
      ["2.0", "warn", "assistant", "first", 0, 2],
      ["2.1", "warn", "", "second", 1, 2],
      ["3.0", "error", "write", "[error] hello.txt", 0, 2],
      ["3.1", "error", "", "denied", 1, 2],
    ]);
  });

  it("shows a model switch as a warning naming both models and why", () => {
    const [line] = toTermLines([
      ev(4, "session.model_switched", {
        from: "scripted/scripted-unavailable",
        to: "scripted/scripted-model",
        reason: "quota",
      }),
    ]);
    expect([line?.level, line?.kind, line?.tag, line?.text]).toEqual([
      "warn",
      "model",
      "model",
      "switched scripted/scripted-unavailable → scripted/scripted-model (its quota is spent)",
    ]);
  });

  it("never cuts a line: a 2,000-character line is one row with every character", () => {
    const long = `${"0".repeat(1995)}TAIL!`;
    const lines = toTermLines([ev(1, "session.log", { level: "info", source: "opencode", text: long })]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toBe(long);
  });

  it("keeps indentation and records it, so wrapped rows hang under it", () => {
    const tb =
      'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    main()\n\tx = 1\nValueError: bad value';
    const lines = toTermLines([
      ev(1, "session.tool", {
        callId: "c",
        tool: "bash",
        status: "completed",
        title: "run",
        input: "command: python app.py",
        output: tb,
      }),
    ]);
    expect(lines.map((l) => [l.text, l.indent])).toEqual([
      ["[completed] run · in: command: python app.py", 0],
      ["Traceback (most recent call last):", 0],
      ['  File "app.py", line 3, in <module>', 2],
      ["    main()", 4],
      ["        x = 1", 8],
      ["ValueError: bad value", 0],
    ]);
    expect(lines.filter((l) => l.problem).map((l) => l.text)).toEqual([
      "Traceback (most recent call last):",
      "ValueError: bad value",
    ]);
    // A command that mentions an error is not one: only what the tool wrote is read.
    const [cmd] = toTermLines([
      ev(2, "session.tool", {
        callId: "d",
        tool: "bash",
        status: "completed",
        title: "t",
        input: "command: echo TypeError",
        output: "TypeError",
      }),
    ]);
    expect(cmd!.problem).toBe(false);
  });

  it("parses colours into spans and keeps the escape codes out of the text", () => {
    const [head, out] = toTermLines([
      ev(1, "session.tool", {
        callId: "c",
        tool: "bash",
        status: "completed",
        title: "t",
        input: null,
        output: "\x1b[31mred\x1b[0m plain",
      }),
    ]);
    expect(head!.spans).toBeUndefined();
    expect(out!.text).toBe("red plain");
    expect(out!.spans).toEqual([{ text: "red", fg: "red" }, { text: " plain" }]);
  });

  it("tells error reports from prose", () => {
    for (const s of [
      "TypeError: x",
      "Error: nope",
      "src/a.rs: error[E0308]: mismatched types",
      "FAIL src/a.test.ts",
      "panic: runtime error",
      "ERROR in ./x",
      "Traceback (most recent call last):",
    ])
      expect(looksLikeProblem(s), s).toBe(true);
    for (const s of ["no errors found", "0 failed", "error handling is described below", "terror"])
      expect(looksLikeProblem(s), s).toBe(false);
  });

  it("numbers a line by its event's seq, and `seq.part` on the event's later rows, whatever else is held", () => {
    const lines = toTermLines([
      ev(98, "session.log", { level: "info", source: "user", text: "one" }),
      ev(99, "session.log", {
        level: "info",
        source: "user",
        text: Array.from({ length: 12 }, (_, i) => `r${i}`).join("\n"),
      }),
    ]);
    expect(lines.map(lineLabel).slice(0, 4)).toEqual(["98", "99", "99.1", "99.2"]);
    expect(lineLabel(lines[lines.length - 1]!)).toBe("99.11");
    // Put after an earlier page, a line keeps its number.
    expect(
      toTermLines([ev(97, "session.log", { level: "info", source: "user", text: "zero" })])
        .concat(lines)
        .map(lineLabel)[1],
    ).toBe("98");
    expect(labelWidth(99, 12)).toBe("99.11".length);
    expect(labelWidth(100_000, 1)).toBe(6);
    expect(labelWidth(0, 0)).toBe(1);
  });

  it("filters by text and level", () => {
    const lines = toTermLines([
      ev(1, "session.log", { level: "info", source: "user", text: "Alpha" }),
      ev(2, "session.log", { level: "error", source: "user", text: "beta" }),
    ]);
    expect(filterLines(lines, "ALPHA", new Set(["debug", "info", "warn", "error"]))).toHaveLength(1);
    expect(filterLines(lines, "", new Set(["error"])).map((l) => l.text)).toEqual(["beta"]);
  });
});
