import { describe, expect, it } from "vitest";
import type { ChatMessage, ChatRequest } from "./chat-request";
import { DEMO_FILE, DEMO_SIGNATURE } from "./demo-script";
import { looksRetryable } from "./fatal-message";
import { planReply } from "./reply-plan";
import { SCRIPT_FINISHED_TEXT } from "./step-selection";

const system: ChatMessage = {
  role: "system",
  content: "You are opencode…\n<env>\n  Working directory: /work/repo\n</env>",
};
const tools = ["bash", "read", "write"];
const req = (messages: ChatMessage[], toolNames = tools): ChatRequest => ({
  model: "scripted-model",
  messages: [system, ...messages],
  toolNames,
  stream: true,
  temperature: null,
});
const user = (content: string): ChatMessage => ({ role: "user", content });
const called = (id: string): ChatMessage[] => [
  {
    role: "assistant",
    content: "",
    tool_calls: [{ id, type: "function", function: { name: "write", arguments: "{}" } }],
  },
  { role: "tool", tool_call_id: id, content: "ok" },
];
const script = (steps: unknown[]) => `Do the thing\nSCRIPT: ${JSON.stringify(steps)}`;

describe("planReply", () => {
  it("answers tool-less requests with a title and consumes nothing", () => {
    const plan = planReply(req([user("Generate a title for this conversation:\n"), user(script([{ text: "x" }]))], []));
    expect(plan).toEqual({ kind: "title", text: "Do the thing" });
  });

  it("plays the step given by the assistant messages after the script, resolving relative paths", () => {
    const steps = [
      { tool: "write", input: { filePath: "out/a.txt", content: "x" } },
      {
        tools: [
          { tool: "read", input: { filePath: "/abs" } },
          { tool: "bash", input: { command: "ls" } },
        ],
      },
      { text: "done" },
    ];
    expect(planReply(req([user(script(steps))]))).toEqual({
      kind: "tools",
      calls: [{ name: "write", input: { filePath: "/work/repo/out/a.txt", content: "x" } }],
      waitMs: 0,
      call: 0,
      step: 0,
      source: "script",
    });
    expect(planReply(req([user(script(steps)), ...called("a")]))).toMatchObject({
      kind: "tools",
      calls: [
        { name: "read", input: { filePath: "/abs" } },
        { name: "bash", input: { command: "ls" } },
      ],
      call: 1,
    });
    expect(planReply(req([user(script(steps)), ...called("a"), ...called("b")]))).toMatchObject({
      kind: "text",
      text: "done",
      call: 2,
      step: 2,
    });
  });

  it("replays an interrupted sleeping call after a continuation prompt", () => {
    const steps = [{ tool: "write", input: {} }, { sleep_ms: 5000 }, { text: "after sleep" }];
    const interrupted = [user(script(steps)), ...called("a"), { role: "assistant", content: "" }, user("continue")];
    expect(planReply(req(interrupted))).toMatchObject({
      kind: "text",
      text: "after sleep",
      waitMs: 5000,
      call: 1,
      step: 2,
    });
  });

  it("carries a script across turns and answers a final text when exhausted", () => {
    const steps = [{ text: "turn one" }, { text: "turn two" }];
    const turn2 = [user(script(steps)), { role: "assistant", content: "turn one" }, user("next")];
    expect(planReply(req(turn2))).toMatchObject({ kind: "text", text: "turn two" });
    expect(planReply(req([...turn2, { role: "assistant", content: "turn two" }, user("again")]))).toMatchObject({
      kind: "text",
      text: SCRIPT_FINISHED_TEXT,
      step: null,
    });
  });

  it("fails calls as scripted, keeping 400 messages non-retryable", () => {
    expect(planReply(req([user(script([{ error: { status: 400, message: "rate limit exceeded" } }]))]))).toMatchObject({
      kind: "error",
      status: 400,
      errorType: "invalid_request_error",
    });
    const fatal = planReply(req([user(script([{ error: { status: 400, message: "rate limit exceeded" } }]))]));
    expect(fatal.kind === "error" && looksRetryable(fatal.message)).toBe(false);
    expect(planReply(req([user(script([{ sleep_ms: 10 }, { error: { status: 503 } }]))]))).toMatchObject({
      kind: "error",
      status: 503,
      errorType: "server_error",
      waitMs: 10,
    });
    expect(planReply(req([user(script([{ error: { status: 429 } }]))]))).toMatchObject({ kind: "error", status: 429 });
  });

  it("fails every call to a model that stands for a provider in trouble, whatever the script, title calls too", () => {
    const on = (model: string, toolNames = tools) =>
      planReply({ ...req([user(script([{ text: "x" }]))], toolNames), model });
    expect(on("scripted-unavailable")).toMatchObject({
      kind: "error",
      status: 429,
      errorType: "rate_limit_error",
      retryAfterSeconds: 1,
      source: "model",
      step: null,
    });
    expect(on("scripted-unavailable", [])).toMatchObject({ kind: "error", status: 429 });
    const overloaded = on("scripted-overloaded");
    expect(overloaded).toMatchObject({ kind: "error", status: 503, errorType: "overloaded_error", source: "model" });
    expect(overloaded).not.toHaveProperty("retryAfterSeconds");
    // Both read as retryable to OpenCode (the 400 wording is what it gives up on).
    expect(looksRetryable((overloaded as { message: string }).message)).toBe(true);
    expect(on("scripted-model")).toMatchObject({ kind: "text", text: "x" });
  });

  it("rejects an invalid script with a 400 that starts with invalid SCRIPT:", () => {
    const plan = planReply(req([user('SCRIPT: [{"tool": 1}]')]));
    expect(plan).toMatchObject({ kind: "invalid-script", status: 400, errorType: "invalid_request_error" });
    expect(plan.kind === "invalid-script" && plan.message).toMatch(
      /^invalid SCRIPT: step 0.tool must be a non-empty string/,
    );
  });

  it("plays the default demo without a script", () => {
    const prompt = user("Tell me about this repo");
    const first = planReply(req([prompt]));
    expect(first).toMatchObject({ kind: "tools", source: "demo", call: 0 });
    const write = first.kind === "tools" ? first.calls[0] : undefined;
    expect(write?.name).toBe("write");
    expect(write?.input.filePath).toBe(`/work/repo/${DEMO_FILE}`);
    expect(write?.input.content).toContain("> Tell me about this repo");
    expect(write?.input.content).toContain(DEMO_SIGNATURE);
    expect(planReply(req([prompt, ...called("a")]))).toMatchObject({
      kind: "tools",
      calls: [{ name: "bash", input: { command: "ls" } }],
    });
    const last = planReply(req([prompt, ...called("a"), ...called("b")]));
    expect(last.kind === "text" && last.text).toMatch(/scripted model.*not an LLM/);
  });
});
