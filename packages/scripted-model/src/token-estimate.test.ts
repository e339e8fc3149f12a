import { describe, expect, it } from "vitest";
import { countMessageChars, estimateUsage } from "./token-estimate";

describe("estimateUsage", () => {
  it("counts text, array parts and tool calls", () => {
    const messages = [
      { role: "system", content: "12345678" },
      {
        role: "user",
        content: [
          { type: "text", text: "abc" },
          { type: "image_url", image_url: "x" },
        ],
      },
      { role: "assistant", content: null, tool_calls: [{ id: "c", function: { name: "bash", arguments: '{"a":1}' } }] },
      { role: "tool", content: "ok" },
    ];
    expect(countMessageChars(messages)).toBe(8 + 3 + 4 + 7 + 2);
    expect(estimateUsage(messages, 9)).toEqual({ prompt_tokens: 6, completion_tokens: 3, total_tokens: 9 });
  });

  it("never reports zero completion tokens", () => {
    expect(estimateUsage([], 0)).toEqual({ prompt_tokens: 0, completion_tokens: 1, total_tokens: 1 });
  });
});
