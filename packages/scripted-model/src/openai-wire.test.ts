import { describe, expect, it } from "vitest";
import { completionBody, countAnswerChars, errorBody, splitText, streamFrames } from "./openai-wire";

const meta = { id: "chatcmpl-1", created: 1, model: "m", callIdPrefix: "call_1" };
const usage = { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 };
const tools = {
  kind: "tools" as const,
  calls: [
    { name: "write", input: { filePath: "/a", content: "x".repeat(100) } },
    { name: "bash", input: { command: "ls" } },
  ],
};
const parse = (frame: string) => JSON.parse(frame.replace(/^data: /, ""));

describe("openai wire", () => {
  it("builds a plain completion with tool calls", () => {
    const body = completionBody(tools, meta, usage) as {
      choices: { message: { tool_calls: { id: string; function: { arguments: string } }[] }; finish_reason: string }[];
    };
    expect(body.choices[0]?.finish_reason).toBe("tool_calls");
    expect(body.choices[0]?.message.tool_calls.map((c) => c.id)).toEqual(["call_1_0", "call_1_1"]);
    expect(JSON.parse(body.choices[0]?.message.tool_calls[1]?.function.arguments ?? "")).toEqual({ command: "ls" });
    expect(completionBody({ kind: "text", text: "hi" }, meta, usage)).toMatchObject({
      choices: [{ message: { content: "hi" }, finish_reason: "stop" }],
      usage,
    });
  });

  it("streams tool calls whose argument deltas reassemble, then finish, usage and DONE", () => {
    const frames = streamFrames(tools, meta, usage);
    expect(frames.at(-1)).toBe("data: [DONE]\n\n");
    expect(frames.every((f) => f.startsWith("data: ") && f.endsWith("\n\n"))).toBe(true);
    const chunks = frames.slice(0, -1).map(parse);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage });
    expect(chunks.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: "tool_calls" }] });
    const args: string[] = ["", ""];
    for (const c of chunks) for (const t of c.choices[0]?.delta.tool_calls ?? []) args[t.index] += t.function.arguments;
    expect(args.map((a) => JSON.parse(a))).toEqual(tools.calls.map((c) => c.input));
  });

  it("streams text in pieces", () => {
    const text = "a".repeat(100);
    const chunks = streamFrames({ kind: "text", text }, meta, usage).slice(0, -1).map(parse);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(text);
    expect(chunks.at(-2)).toMatchObject({ choices: [{ finish_reason: "stop" }] });
  });

  it("helpers", () => {
    expect(splitText("", 3)).toEqual([""]);
    expect(splitText("abcdefg", 3)).toEqual(["abc", "def", "g"]);
    expect(countAnswerChars({ kind: "text", text: "abcd" })).toBe(4);
    expect(countAnswerChars({ kind: "tools", calls: [{ name: "ls", input: {} }] })).toBe(4);
    expect(errorBody("invalid_request_error", "m")).toEqual({
      error: { message: "m", type: "invalid_request_error", param: null, code: null },
    });
  });
});
