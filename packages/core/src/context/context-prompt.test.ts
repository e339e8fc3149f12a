import { describe, expect, it } from "vitest";
import { extractContextWriteBack, renderContextsForPrompt, type PromptContext } from "./context-prompt";

const ctx = (
  scope: PromptContext["scope"],
  data: PromptContext["data"],
  name: string | null = null,
): PromptContext => ({
  id: `${scope}-id`,
  scope,
  name,
  version: 2,
  data,
});

describe("contexts in the prompt", () => {
  it("leaves a session without contexts alone", () => {
    expect(renderContextsForPrompt([])).toBeNull();
  });

  it("puts the session's own context first, global last, as one JSON block and one write-back sentence", () => {
    const text = renderContextsForPrompt([ctx("global", { g: 1 }), ctx("session", { s: 1 }), ctx("agent", { a: 1 })])!;
    const json = text.split("```json\n")[1]!.split("\n```")[0]!;
    expect(JSON.parse(json).map((c: PromptContext) => c.scope)).toEqual(["session", "agent", "global"]);
    expect(text).toContain("```orchestrator-context");
    expect(text.split("\n").at(-1)).toMatch(/^To save facts .* deep-merged into this session's context\.$/);
  });

  it("leaves out contexts past the size limit and says how many", () => {
    const text = renderContextsForPrompt([ctx("session", { small: 1 }), ctx("global", { big: "x".repeat(500) })], 200)!;
    expect(text).toContain("1 more left out as too large");
    expect(text).not.toContain("xxxx");
  });
});

describe("write-back block of a final answer", () => {
  it("reads the JSON object of a block that opens a line, multi-line or on one line", () => {
    expect(extractContextWriteBack('Done.\n```orchestrator-context\n{"findings": ["a"], "n": 1}\n```\n')).toEqual({
      kind: "ok",
      data: { findings: ["a"], n: 1 },
    });
    expect(extractContextWriteBack('Done.\n```orchestrator-context {"x": true}```')).toEqual({
      kind: "ok",
      data: { x: true },
    });
  });

  it("takes the last block when there are several", () => {
    expect(
      extractContextWriteBack('```orchestrator-context\n{"v":1}\n```\nthen\n```orchestrator-context\n{"v":2}\n```'),
    ).toEqual({ kind: "ok", data: { v: 2 } });
  });

  it("ignores answers without a block, and a fence named mid-sentence", () => {
    expect(extractContextWriteBack("All done, nothing to save.")).toEqual({ kind: "none" });
    expect(extractContextWriteBack('end with ```orchestrator-context {"x":1}``` as told')).toEqual({ kind: "none" });
    expect(extractContextWriteBack('```json\n{"x":1}\n```')).toEqual({ kind: "none" });
  });

  it("refuses blocks that are not one JSON object, or too large", () => {
    expect(extractContextWriteBack("```orchestrator-context\n{broken\n```")).toMatchObject({
      kind: "invalid",
      reason: expect.stringMatching(/^not JSON/),
    });
    expect(extractContextWriteBack("```orchestrator-context\n[1, 2]\n```")).toEqual({
      kind: "invalid",
      reason: "not a JSON object",
    });
    expect(
      extractContextWriteBack(`\`\`\`orchestrator-context\n{"big": "${"x".repeat(300 * 1024)}"}\n\`\`\``),
    ).toMatchObject({ kind: "invalid", reason: expect.stringMatching(/over the 262144-byte limit/) });
  });
});

describe("write-back text PostgreSQL cannot store", () => {
  it("is refused with the path, never handed to the database", () => {
    expect(extractContextWriteBack('```orchestrator-context\n{"a": {"b": "x\\u0000"}}\n```')).toEqual({
      kind: "invalid",
      reason: "a.b holds a NUL character or a lone surrogate, which cannot be stored",
    });
  });
});
