import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createScriptedModel, type RecordedRequest, type RequestLogLine, type ScriptedModel } from "./scripted-model";

// The scripted model over real HTTP (node's fetch), without OpenCode: the
// wire format, the control routes and bad input. The OpenCode side is in
// packages/opencode/src/runner/managed-runner.int.test.ts. No storage involved, so
// it runs once, in the int-pglite project.

let model: ScriptedModel;
let root: string;

beforeAll(async () => {
  model = await createScriptedModel();
  root = model.baseUrl.replace(/\/v1$/, "");
});
afterAll(() => model.close());
beforeEach(() => model.reset());

const system = { role: "system", content: "You are opencode…\n<env>\n  Working directory: /work/repo\n</env>" };
const tools = [{ type: "function", function: { name: "write", parameters: {} } }];
const user = (steps: unknown[]) => ({ role: "user", content: `Do it\nSCRIPT: ${JSON.stringify(steps)}` });
// Just the fields the assertions read.
interface ErrorJson {
  error: { message: string; type: string };
}
interface Chunk {
  choices: Array<{ finish_reason: string | null; delta: { tool_calls?: Array<{ function: { arguments: string } }> } }>;
  usage?: { prompt_tokens: number; completion_tokens: number };
}
interface Completion {
  choices: Array<{ message: { content: string | null } }>;
}
const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;
const chat = (body: unknown, init: RequestInit = {}) =>
  fetch(`${model.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });

/** The JSON chunks of an SSE body, and whether it ended with [DONE]. */
async function frames(res: Response): Promise<{ chunks: Chunk[]; done: boolean }> {
  const data = (await res.text())
    .split("\n\n")
    .filter((f) => f.startsWith("data: "))
    .map((f) => f.slice(6));
  return {
    chunks: data.filter((d) => d !== "[DONE]").map((d) => JSON.parse(d) as Chunk),
    done: data.at(-1) === "[DONE]",
  };
}

describe("scripted model over HTTP", () => {
  it("streams a tool call with a resolved path, a finish chunk, usage and [DONE]", async () => {
    const res = await chat({
      model: "scripted-model",
      stream: true,
      tools,
      messages: [system, user([{ tool: "write", input: { filePath: "a/b.txt", content: "x" } }])],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const { chunks, done } = await frames(res);
    expect(done).toBe(true);
    const args = chunks
      .flatMap((c) => c.choices[0]?.delta?.tool_calls ?? [])
      .map((t) => t.function.arguments)
      .join("");
    expect(JSON.parse(args)).toEqual({ filePath: "/work/repo/a/b.txt", content: "x" });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(chunks.at(-1)?.usage).toMatchObject({
      prompt_tokens: expect.any(Number),
      completion_tokens: expect.any(Number),
    });
    expect(chunks.at(-1)?.usage?.prompt_tokens).toBeGreaterThan(10);
  });

  it("answers plain JSON without stream, and a title for tool-less requests", async () => {
    const text = await json<Completion>(chat({ tools, messages: [system, user([{ text: "hello" }])] }));
    expect(text).toMatchObject({
      object: "chat.completion",
      choices: [{ message: { role: "assistant", content: "hello" }, finish_reason: "stop" }],
    });
    const title = await json<Completion>(
      chat({ messages: [system, { role: "user", content: "Generate a title" }, user([{ text: "x" }])] }),
    );
    expect(title.choices[0]?.message.content).toBe("Do it");
    expect(model.requests().map((r) => r.reply.kind)).toEqual(["text", "title"]);
  });

  it("fails calls as scripted", async () => {
    const fatal = await chat({ tools, messages: [user([{ error: { status: 400, message: "nope" } }])] });
    expect(fatal.status).toBe(400);
    expect(await fatal.json()).toEqual({
      error: { message: "nope", type: "invalid_request_error", param: null, code: null },
    });
    expect((await chat({ tools, messages: [user([{ error: { status: 503 } }])] })).status).toBe(503);
    expect((await chat({ tools, messages: [user([{ error: { status: 429 } }])] })).status).toBe(429);
  });

  it("lists the models that fail every call, and fails them: 429 with retry-after, 503", async () => {
    const models = await json<{ data: { id: string }[] }>(fetch(`${model.baseUrl}/models`));
    expect(models.data.map((m) => m.id)).toEqual(["scripted-model", "scripted-unavailable", "scripted-overloaded"]);
    const limited = await chat({
      model: "scripted-unavailable",
      stream: true,
      tools,
      messages: [system, user([{ text: "never played" }])],
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await json<ErrorJson>(limited)).error.type).toBe("rate_limit_error");
    const overloaded = await chat({
      model: "scripted-overloaded",
      tools,
      messages: [system, user([{ text: "never played" }])],
    });
    expect(overloaded.status).toBe(503);
    expect(overloaded.headers.get("retry-after")).toBeNull();
  });

  it("rejects an invalid SCRIPT with a 400 that says what is wrong", async () => {
    const res = await chat({ tools, messages: [{ role: "user", content: 'SCRIPT: [{"wait": 1}]' }] });
    expect(res.status).toBe(400);
    const body = await json<ErrorJson>(res);
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toMatch(/^invalid SCRIPT: step 0 has an unknown shape/);
  });

  it("stops sleeping when the client goes away, and close() does not wait for sleepers", async () => {
    const abort = new AbortController();
    const pending = chat(
      { stream: true, tools, messages: [user([{ sleep_ms: 60_000 }, { text: "late" }])] },
      { signal: abort.signal },
    );
    const res = await pending;
    expect(res.status).toBe(200); // headers go out before the sleep
    await waitFor(() => model.requests()[0]?.outcome === "pending", "a sleeping request");
    abort.abort();
    await waitFor(() => model.requests()[0]?.outcome === "client-closed", "the model to notice the disconnect", {
      timeoutMs: 1_000,
    });
    expect((await chat({ tools, messages: [user([{ text: "still alive" }])] })).status).toBe(200);
  });

  it("survives bad input with JSON errors", async () => {
    const cases: Array<[Promise<Response>, number]> = [
      [chat("{not json"), 400],
      [chat("[1,2]"), 400],
      [chat({ messages: "no" }), 400],
      [chat({ messages: [{ content: "no role" }] }), 400],
      [chat(""), 400],
      [fetch(`${model.baseUrl}/chat/completions`), 405],
      [fetch(`${root}/nowhere`), 404],
      [fetch(`${root}/__reset`), 404],
    ];
    for (const [response, status] of cases) {
      const res = await response;
      expect(res.status).toBe(status);
      expect((await json<ErrorJson>(res)).error.message).toEqual(expect.any(String));
    }
    expect((await fetch(`${model.baseUrl}/models`)).status).toBe(200);
  });

  it("exposes and resets the recorded requests over HTTP", async () => {
    await chat({ tools, messages: [system, user([{ text: "one" }])] });
    const recorded = await json<RecordedRequest[]>(fetch(`${root}/__requests`));
    expect(recorded).toEqual([
      expect.objectContaining({
        model: "scripted-model",
        system: system.content,
        tools: ["write"],
        stream: false,
        workingDirectory: "/work/repo",
        outcome: "answered",
        time: expect.any(String),
      }),
    ]);
    expect(recorded[0]?.messages).toHaveLength(2);
    expect((await fetch(`${root}/__reset`, { method: "POST" })).status).toBe(200);
    expect(model.requests()).toEqual([]);
  });

  it("logs each request's arrival and end to its request log file, for whoever reads it after the process is gone", async () => {
    const dir = tempDir("scripted-model-log-");
    const file = join(dir.path, "requests.jsonl");
    const logged = await createScriptedModel({ requestLogFile: file });
    try {
      const post = (body: unknown) =>
        fetch(`${logged.baseUrl}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      await (
        await post({
          stream: true,
          tools,
          messages: [system, user([{ tool: "write", input: { filePath: "a.txt", content: "x" } }])],
        })
      ).text();
      await (await post({ messages: [system, user([{ text: "a title, no tools" }])] })).text();
      const lines = readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as RequestLogLine);
      expect(lines).toEqual([
        {
          n: 1,
          event: "arrived",
          at: expect.any(String),
          workingDirectory: "/work/repo",
          label: "Do it",
          reply: "tools",
          step: 0,
        },
        {
          n: 1,
          event: "answered",
          at: expect.any(String),
          workingDirectory: "/work/repo",
          label: "Do it",
          reply: "tools",
          step: 0,
        },
        {
          n: 2,
          event: "arrived",
          at: expect.any(String),
          workingDirectory: "/work/repo",
          label: "Do it",
          reply: "title",
          step: null,
        },
        {
          n: 2,
          event: "answered",
          at: expect.any(String),
          workingDirectory: "/work/repo",
          label: "Do it",
          reply: "title",
          step: null,
        },
      ]);
      expect(Date.parse(lines[1]!.at)).toBeGreaterThanOrEqual(Date.parse(lines[0]!.at));
    } finally {
      await logged.close();
      dir.remove();
    }
  });
});
