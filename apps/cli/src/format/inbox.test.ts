import type { InboxItem } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { createColors } from "./colors";
import { describeAsk, diffPreview, formatInboxTable, replyCommand } from "./inbox";

const c = createColors(false);
const NOW = new Date("2026-01-01T00:10:00.000Z");
const base = {
  sessionId: "0b8e6a52-3f7c-4c55-9d59-0a3c5f6f1b2e",
  sessionTitle: "write the notes",
  agentId: "a",
  createdAt: "2026-01-01T00:05:00.000Z",
  expiresAt: null,
  openCodeRequestId: "x",
};
const DIFF =
  "Index: x.txt\n===================================================================\n--- x.txt\n+++ x.txt\n@@ -0,0 +1,5 @@\n+one\n+two\n+three\n-four\n+five\n";
const edit: InboxItem = {
  ...base,
  id: "5d7c2f0e-7a51-4c1e-9b3f-2a4d6e8f0a1b",
  kind: "permission",
  permission: { name: "edit", patterns: ["x.txt"], diff: DIFF },
};
const bash: InboxItem = {
  ...base,
  id: "6e8d3f1f-7a51-4c1e-9b3f-2a4d6e8f0a1b",
  kind: "permission",
  permission: { name: "bash", patterns: ["npm test"], command: "npm test" },
};
const question: InboxItem = {
  ...base,
  id: "7f9e4a2a-7a51-4c1e-9b3f-2a4d6e8f0a1b",
  kind: "question",
  questions: [
    {
      question: "Which colour?",
      header: "Colour",
      options: [
        { label: "Blue", description: "" },
        { label: "Red", description: "" },
      ],
      multiple: true,
      custom: false,
    },
  ],
};

describe("inbox format", () => {
  it("says what is asked: the command, the permission and its patterns, or the questions", () => {
    expect(describeAsk(bash)).toBe("bash: npm test");
    expect(describeAsk(edit)).toBe("edit x.txt");
    expect(describeAsk(question)).toBe("Colour: Which colour?");
  });

  it("gives the command that answers, with the full id", () => {
    expect(replyCommand(edit)).toBe(`orchestrator reply ${edit.id} once|always|reject`);
    expect(replyCommand(question)).toBe(`orchestrator answer ${question.id} "<Colour,…>"`);
  });

  it("previews a diff's first changed lines, without its file headers", () => {
    expect(diffPreview(DIFF)).toEqual(["+one", "+two", "+three", "… 2 more changed lines"]);
    expect(diffPreview("--- a\n+++ b\n-x\n+y")).toEqual(["-x", "+y"]);
  });

  it("renders a table with the diff or the options under each row", () => {
    expect(formatInboxTable([edit, bash, question], c, NOW).split("\n")).toEqual([
      "ID        KIND        SESSION          ASKED                  AGE",
      "5d7c2f0e  permission  write the notes  edit x.txt              5m",
      "          +one",
      "          +two",
      "          +three",
      "          … 2 more changed lines",
      "6e8d3f1f  permission  write the notes  bash: npm test          5m",
      "7f9e4a2a  question    write the notes  Colour: Which colour?   5m",
      "          1. [Blue | Red] (one or more, comma-separated)",
    ]);
  });
});
