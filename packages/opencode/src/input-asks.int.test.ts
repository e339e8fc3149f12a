import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createScriptedModel, type ScriptedModel } from "@industrial/scripted-model";
import { createGitRepo, tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscribeEvents, type OpenCodeEvent } from "./event-stream";
import { createManagedRunner, type ManagedRunner } from "./runner/managed-runner";
import { createOpenCodeClient, type OpenCodeClient, type SessionMessage } from "./opencode-client";
import { computeOpenCodeConfig } from "./runner/opencode-config";

// What OpenCode 1.18.33 does with permission asks and questions, on the real
// binary: the facts the driver's input requests are built on
// (docs/input-requests.md §1). One runner for the file; OpenCode does not
// touch storage, so the file runs once (int-pglite).

let tmp: ReturnType<typeof tempDir>;
let model: ScriptedModel;
let runner: ManagedRunner;
const closers: (() => void)[] = [];

beforeAll(async () => {
  tmp = tempDir("oc-asks-int-");
  model = await createScriptedModel();
  runner = await createManagedRunner({
    stateDir: join(tmp.path, "runner"),
    isolate: true,
    config: computeOpenCodeConfig({ mode: "scripted", baseUrl: model.baseUrl }),
    restartBackoff: { baseMs: 100, maxMs: 1_000, jitter: 0 },
  });
});

afterAll(async () => {
  for (const close of closers) close();
  await runner?.stop();
  await model?.close();
  tmp?.remove();
});

type Rule = { permission: string; pattern: string; action: "allow" | "ask" | "deny" };
const script = (steps: unknown[]) => `Do the scripted thing\nSCRIPT: ${JSON.stringify(steps)}`;
const QUESTION = {
  questions: [
    {
      question: "Which colour?",
      header: "Colour",
      options: [
        { label: "Red", description: "warm" },
        { label: "Blue", description: "cold" },
      ],
    },
  ],
};

interface Watched {
  dir: string;
  client: OpenCodeClient;
  sessionId: string;
  events: OpenCodeEvent[];
  next(type: string, from?: number): Promise<OpenCodeEvent>;
}

async function start(name: string, rules: Rule[], steps: unknown[]): Promise<Watched> {
  const dir = join(tmp.path, name);
  mkdirSync(dir, { recursive: true });
  createGitRepo(dir);
  const events: OpenCodeEvent[] = [];
  const sub = subscribeEvents({
    baseUrl: () => runner.url,
    directory: dir,
    headers: runner.headers(),
    onEvent: (e) => events.push(e),
    onStatus: () => undefined,
    reconnect: { baseMs: 100, maxMs: 500, jitter: 0 },
    handshakeTimeoutMs: 2_000,
  });
  closers.push(() => sub.close());
  await sub.ready;
  const client = createOpenCodeClient({ baseUrl: () => runner.url, directory: dir, headers: runner.headers() });
  const session = await client.createSession({ title: name, permission: rules });
  await client.promptAsync(session.id, { text: script(steps) });
  const mine = (type: string) => (e: OpenCodeEvent) => e.type === type && e.properties.sessionID === session.id;
  return {
    dir,
    client,
    sessionId: session.id,
    events,
    next: (type, from = 0) => waitFor(() => events.slice(from).find(mine(type)), type, { timeoutMs: 60_000 }),
  };
}

const tools = (messages: SessionMessage[]) =>
  messages.flatMap((m) => m.parts).flatMap((p) => (p.type === "tool" ? [p] : []));
const texts = (messages: SessionMessage[]) =>
  messages.flatMap((m) => m.parts).flatMap((p) => (p.type === "text" ? [p.text] : []));

describe("OpenCode's permission asks and questions", () => {
  it("an ask waits with the session busy; a reject with a message lets the turn go on; a bash ask names its command; a second reply is 404", async () => {
    const steps = [
      { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
      { tool: "bash", input: { command: "echo hi", description: "say hi" } },
      { text: "done" },
    ];
    const w = await start(
      "reject-message",
      [
        { permission: "edit", pattern: "*", action: "ask" },
        { permission: "bash", pattern: "*", action: "ask" },
      ],
      steps,
    );
    const edit = await w.next("permission.asked");
    expect(edit.properties).toMatchObject({
      permission: "edit",
      patterns: ["a.txt"],
      metadata: { diff: expect.stringContaining("+a") },
    });
    // Still waiting after more than one of the driver's 3 s status polls: busy, never idle.
    await new Promise((r) => setTimeout(r, 3_500));
    expect((await w.client.sessionStatus())[w.sessionId]).toMatchObject({ type: "busy" });
    expect((await w.client.listPermissions()).map((p) => p.id)).toEqual([edit.properties.id]);

    expect(await w.client.replyPermission(String(edit.properties.id), "reject", "Not a.txt; go on")).toBe(true);
    const bash = await w.next("permission.asked", w.events.indexOf(edit) + 1);
    expect(bash.properties).toMatchObject({
      permission: "bash",
      patterns: ["echo hi"],
      metadata: { command: "echo hi" },
    });
    expect(await w.client.replyPermission(String(bash.properties.id), "once")).toBe(true);
    await w.next("session.idle");
    expect(await w.client.replyPermission(String(edit.properties.id), "once")).toBe(false);

    const messages = await w.client.messages(w.sessionId);
    expect(existsSync(join(w.dir, "a.txt"))).toBe(false);
    expect(tools(messages).map((t) => [t.tool, t.state.status])).toEqual([
      ["write", "error"],
      ["bash", "completed"],
    ]);
    expect(tools(messages)[0]?.state).toMatchObject({ error: expect.stringContaining("Not a.txt; go on") });
    expect(texts(messages).at(-1)).toBe("done");
  });

  it("a reject without a message ends the turn", async () => {
    const w = await start(
      "reject-plain",
      [{ permission: "edit", pattern: "*", action: "ask" }],
      [{ tool: "write", input: { filePath: "b.txt", content: "b\n" } }, { text: "done" }],
    );
    const asked = await w.next("permission.asked");
    await w.client.replyPermission(String(asked.properties.id), "reject");
    await w.next("session.idle");
    expect(texts(await w.client.messages(w.sessionId))).not.toContain("done");
  });

  it("a session rule brings back the question tool the runner denies; an answer reaches the tool's output; a dismissal ends the turn", async () => {
    const steps = [{ tool: "question", input: QUESTION }, { tool: "question", input: QUESTION }, { text: "done" }];
    const w = await start("question", [{ permission: "question", pattern: "*", action: "allow" }], steps);
    const first = await w.next("question.asked");
    expect(first.properties).toMatchObject({ questions: QUESTION.questions });
    expect((await w.client.listQuestions()).map((q) => q.id)).toEqual([first.properties.id]);
    expect(await w.client.replyQuestion(String(first.properties.id), [["Blue"]])).toBe(true);
    const second = await w.next("question.asked", w.events.indexOf(first) + 1);
    expect(await w.client.rejectQuestion(String(second.properties.id))).toBe(true);
    await w.next("session.idle");
    const messages = await w.client.messages(w.sessionId);
    const [answered, dismissed] = tools(messages);
    expect(answered?.state).toMatchObject({
      status: "completed",
      output: expect.stringContaining('"Which colour?"="Blue"'),
    });
    expect(dismissed?.state).toMatchObject({ status: "error", error: expect.stringContaining("dismissed") });
    expect(texts(messages)).not.toContain("done");
    expect(await w.client.rejectQuestion(String(second.properties.id))).toBe(false);
  });

  it("an abort ends the turn but leaves the ask listed: whoever aborts must also reject it", async () => {
    const w = await start(
      "abort",
      [{ permission: "edit", pattern: "*", action: "ask" }],
      [{ tool: "write", input: { filePath: "c.txt", content: "c\n" } }, { text: "done" }],
    );
    const asked = await w.next("permission.asked");
    await w.client.abort(w.sessionId);
    await w.next("session.idle");
    expect((await w.client.listPermissions()).map((p) => p.id)).toEqual([asked.properties.id]);
    expect(await w.client.replyPermission(String(asked.properties.id), "reject")).toBe(true);
    expect(await w.client.listPermissions()).toEqual([]);
    expect(existsSync(join(w.dir, "c.txt"))).toBe(false);
  });
});

describe("asks of a child session", () => {
  it("a task tool's child session names the attempt's as parent; the parent's session rules do not reach it (only the runner's config could make it ask)", async () => {
    const child = script([{ tool: "write", input: { filePath: "child.txt", content: "c\n" } }, { text: "child done" }]);
    const w = await start(
      "child",
      [{ permission: "edit", pattern: "*", action: "ask" }],
      [
        { tool: "task", input: { description: "child work", prompt: child, subagent_type: "general" } },
        { text: "done" },
      ],
    );
    await w.next("session.idle");
    const created = w.events
      .filter((e) => e.type === "session.created")
      .map((e) => e.properties.info as { id: string; parentID?: string });
    expect(created.find((i) => i.id !== w.sessionId)).toMatchObject({ parentID: w.sessionId });
    expect(w.events.some((e) => e.type === "permission.asked")).toBe(false);
    expect(existsSync(join(w.dir, "child.txt"))).toBe(true);
  });
});
