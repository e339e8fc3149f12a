import { describe, expect, it } from "vitest";
import {
  carriesOutput,
  type ChatMessage,
  countPlayedCalls,
  diedWithItsProcess,
  INTERRUPTED_TOOL_RESULT,
  messageText,
  parseChatRequest,
  systemPromptText,
} from "./chat-request";

describe("parseChatRequest", () => {
  it("keeps what the model needs", () => {
    const r = parseChatRequest({
      model: "scripted-model",
      stream: true,
      temperature: 0.25,
      messages: [{ role: "user", content: "hi" }],
      tools: [{ type: "function", function: { name: "write" } }, { type: "function" }, "junk"],
    });
    expect(r).toEqual({
      ok: true,
      request: {
        model: "scripted-model",
        stream: true,
        temperature: 0.25,
        messages: [{ role: "user", content: "hi" }],
        toolNames: ["write"],
      },
    });
  });

  it("rejects bodies that are not chat requests", () => {
    expect(parseChatRequest(null)).toMatchObject({ ok: false });
    expect(parseChatRequest([])).toMatchObject({ ok: false });
    expect(parseChatRequest({ messages: "x" })).toEqual({ ok: false, error: "messages must be an array" });
    expect(parseChatRequest({ messages: [{ content: "x" }] })).toEqual({
      ok: false,
      error: "messages[0] must be an object with a string role",
    });
  });

  it("defaults model and stream, and drops non-object tool calls", () => {
    const r = parseChatRequest({ messages: [{ role: "assistant", tool_calls: [1, { id: "a" }] }] });
    expect(r).toEqual({
      ok: true,
      request: {
        model: "scripted-model",
        stream: false,
        temperature: null,
        toolNames: [],
        messages: [{ role: "assistant", tool_calls: [{ id: "a" }] }],
      },
    });
  });
});

describe("message helpers", () => {
  it("joins text parts and system messages", () => {
    expect(messageText({ role: "user", content: [{ type: "text", text: "a" }, "b", { type: "image" }] })).toBe("a\nb");
    expect(messageText({ role: "user", content: null })).toBe("");
    expect(
      systemPromptText([
        { role: "system", content: "s1" },
        { role: "user", content: "u" },
        { role: "system", content: "s2" },
      ]),
    ).toBe("s1\ns2");
  });

  it("counts only assistant messages with content or tool calls", () => {
    expect(carriesOutput({ role: "assistant", content: "" })).toBe(false);
    expect(carriesOutput({ role: "assistant", content: "  \n" })).toBe(false);
    expect(carriesOutput({ role: "assistant", content: null, tool_calls: [] })).toBe(false);
    expect(carriesOutput({ role: "assistant", content: "", tool_calls: [{ id: "x" }] })).toBe(true);
    expect(carriesOutput({ role: "assistant", content: "partial" })).toBe(true);
    expect(carriesOutput({ role: "user", content: "x" })).toBe(false);
  });

  it("counts played calls after the anchor, across continuation prompts", () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "s" },
      { role: "assistant", content: "before the anchor" },
      { role: "user", content: "SCRIPT: []" },
      { role: "assistant", content: "", tool_calls: [{ id: "1" }] },
      { role: "tool", content: "ok" },
      { role: "assistant", content: "" }, // an aborted call that produced nothing
      { role: "user", content: "continue" },
      { role: "assistant", content: "answer" },
      { role: "user", content: "more" },
    ];
    expect(countPlayedCalls(messages, 2)).toBe(2);
  });

  it("replays a call whose tools died with OpenCode's process, and only that one", () => {
    const died = (id: string): ChatMessage => ({ role: "tool", tool_call_id: id, content: INTERRUPTED_TOOL_RESULT });
    const messages: ChatMessage[] = [
      { role: "user", content: "SCRIPT: []" },
      { role: "assistant", content: "", tool_calls: [{ id: "a" }] },
      { role: "tool", tool_call_id: "a", content: "Wrote file successfully." },
      { role: "assistant", content: "", tool_calls: [{ id: "b" }, { id: "c" }] },
      died("b"),
      died("c"),
      { role: "user", content: "continue" },
    ];
    expect(diedWithItsProcess(messages, 3)).toBe(true);
    expect(countPlayedCalls(messages, 0)).toBe(1);
    // One of two parallel calls came back: the call did something, it counts.
    const half = [...messages.slice(0, 4), died("b"), { role: "tool", tool_call_id: "c", content: "ok" }, messages[6]!];
    expect(diedWithItsProcess(half, 3)).toBe(false);
    expect(countPlayedCalls(half, 0)).toBe(2);
    // A call aborted on purpose (a pause) still counts; so does one without ids.
    const aborted = [
      ...messages.slice(0, 4),
      { role: "tool", tool_call_id: "b", content: "Tool execution aborted" },
      died("c"),
      messages[6]!,
    ];
    expect(countPlayedCalls(aborted, 0)).toBe(2);
    expect(
      diedWithItsProcess(
        [
          { role: "assistant", tool_calls: [{}] },
          { role: "tool", content: INTERRUPTED_TOOL_RESULT },
        ],
        0,
      ),
    ).toBe(false);
    expect(diedWithItsProcess([{ role: "assistant", content: "text" }], 0)).toBe(false);
  });

  it("ignores a trailing assistant prefill", () => {
    const messages: ChatMessage[] = [
      { role: "user", content: "SCRIPT: []" },
      { role: "assistant", content: "a" },
      { role: "user", content: "b" },
      { role: "assistant", content: "max steps reached, answer now" },
    ];
    expect(countPlayedCalls(messages, 0)).toBe(1);
  });
});
