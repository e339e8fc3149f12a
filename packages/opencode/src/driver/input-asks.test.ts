import { describe, expect, it } from "vitest";
import { toAskedInput } from "./input-asks";

// The shapes measured on OpenCode 1.18.33 (input-asks.int.test.ts).
describe("toAskedInput: what the inbox shows of an OpenCode request", () => {
  it("an edit ask keeps its name, patterns and diff", () => {
    const raw = {
      id: "per_1",
      sessionID: "ses_1",
      permission: "edit",
      patterns: ["a.txt"],
      metadata: { filepath: "/w/a.txt", diff: "+a" },
      always: ["*"],
    };
    expect(toAskedInput("permission", raw)).toEqual({
      kind: "permission",
      openCodeRequestId: "per_1",
      openCodeSessionId: "ses_1",
      payload: { name: "edit", patterns: ["a.txt"], diff: "+a" },
    });
  });

  it("a bash ask carries its command", () => {
    const raw = {
      id: "per_2",
      sessionID: "ses_1",
      permission: "bash",
      patterns: ["echo hi"],
      metadata: { command: "echo hi" },
      always: ["echo *"],
    };
    expect(toAskedInput("permission", raw)?.payload).toEqual({
      name: "bash",
      patterns: ["echo hi"],
      command: "echo hi",
    });
  });

  it("a diff longer than 64 KiB is cut and says so", () => {
    const raw = {
      id: "per_3",
      sessionID: "ses_1",
      permission: "edit",
      patterns: ["big"],
      metadata: { diff: "x".repeat(70_000) },
    };
    const diff = (toAskedInput("permission", raw)?.payload as { diff: string }).diff;
    expect(diff.length).toBeLessThan(66_000);
    expect(diff).toMatch(/cut at 65536 characters\)$/);
  });

  it("a question's missing flags are OpenCode's defaults (one choice, free text allowed); an option without a description gets an empty one", () => {
    const raw = {
      id: "que_1",
      sessionID: "ses_1",
      questions: [
        {
          question: "Which?",
          header: "Pick",
          options: [{ label: "A" }, { label: "B", description: "bee" }],
          multiple: true,
        },
      ],
    };
    expect(toAskedInput("question", raw)).toEqual({
      kind: "question",
      openCodeRequestId: "que_1",
      openCodeSessionId: "ses_1",
      payload: {
        questions: [
          {
            question: "Which?",
            header: "Pick",
            options: [
              { label: "A", description: "" },
              { label: "B", description: "bee" },
            ],
            multiple: true,
            custom: true,
          },
        ],
      },
    });
  });

  it("what does not parse is no request", () => {
    expect(toAskedInput("permission", { id: "per_4" })).toBeNull();
    expect(toAskedInput("question", { id: "que_2", sessionID: "s", questions: "nope" })).toBeNull();
  });
});
