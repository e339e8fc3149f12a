import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createApiClient, type ApiClient } from "@industrial/contracts";
import { bearer, tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "./testing/cli-harness";

/**
 * `inbox`, `reply` and `answer` as people run them (docs/input-requests.md
 * §3, CLI), against a real orchestrator whose agent asks before it edits
 * (`edit: ask`): the session's write waits until the CLI approves it.
 */
const SCRIPT = 'SCRIPT: [{"tool":"write","input":{"filePath":"asked.txt","content":"approved\\n"}},{"text":"done"}]';

let harness: CliHarness;
let api: ApiClient;
const workDir = tempDir("orch-cli-inbox-");
const cli = (...args: string[]) => harness.cli(...args);

beforeAll(async () => {
  harness = await startCliHarness();
  api = createApiClient({ baseUrl: harness.url, headers: bearer() });
});

afterAll(async () => {
  await harness?.stop();
  workDir.remove();
});

interface InboxJson {
  items: {
    id: string;
    kind: string;
    sessionId: string;
    sessionTitle: string;
    permission?: { name: string; diff?: string };
  }[];
  total: number;
}

describe("orchestrator inbox, reply and answer against a real server", () => {
  it(
    "lists the write's permission request, refuses replies that do not fit, approves it once, then says it was already answered",
    { timeout: 180_000 },
    async () => {
      // All through the CLI, as a person would: an agent whose edits ask, a session for it.
      const added = await cli("agents", "add", "asks-first", "--type", "implementer", "--permission", "edit=ask");
      expect(added.code, added.stderr).toBe(0);
      const submitted = await cli(
        "submit",
        `Write asked.txt\n${SCRIPT}`,
        "--title",
        "write after asking",
        "--dir",
        workDir.path,
        "--agent",
        "asks-first",
        "--max-attempts",
        "1",
        "--json",
      );
      expect(submitted.code, submitted.stderr).toBe(0);
      const session = JSON.parse(submitted.stdout) as { id: string; preferredAgentId: string | null };

      const listed = await waitFor(
        async () => {
          const r = await cli("inbox", "--json");
          expect(r.code, r.stderr).toBe(0);
          const page = JSON.parse(r.stdout) as InboxJson;
          return page.items.find((i) => i.sessionId === session.id) ?? null;
        },
        "the request in `inbox --json`",
        { timeoutMs: 90_000 },
      );
      expect(listed).toMatchObject({
        kind: "permission",
        sessionTitle: "write after asking",
        permission: { name: "edit" },
      });
      expect(listed.permission?.diff).toContain("+approved");
      const short = listed.id.replace(/-/g, "").slice(0, 8);

      // The table: id, kind, session, what is asked, age; the diff's first changed line under it.
      const table = await cli("inbox", "--session", session.id.slice(0, 8));
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(
        new RegExp(`^${short}\\s+permission\\s+write after asking\\s+edit \\S*asked\\.txt\\s+\\d+s$`, "m"),
      );
      expect(table.stdout).toMatch(/^\s+\+approved$/m);
      expect(table.stdout).toContain("orchestrator reply <id> once|always|reject");
      const none = await cli("inbox", "--kind", "question");
      expect(none.code, none.stderr).toBe(0);
      expect(none.stdout.trim()).toBe("no open requests match these filters");

      // Replies that do not fit: a question's answer, an unknown decision (exit 2, naming what is wrong).
      const asAnswer = await cli("answer", short, "yes");
      expect(asAnswer.code).toBe(2);
      expect(asAnswer.stderr).toContain(
        "asks for a permission, not an answer: use `orchestrator reply <id> once|always|reject`",
      );
      const bad = await cli("reply", short, "maybe");
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("invalid <decision>: must be one of once, always, reject");
      // A question's dismissal sent to a permission: the CLI knows the request's kind and says which command fits.
      const wrongShape = await cli("answer", listed.id, "--reject");
      expect(wrongShape.code).toBe(2);
      expect(wrongShape.stderr).toContain("decline it with `orchestrator reply");

      // `logs -f`, following while it waits, shows the request highlighted with the command that answers it.
      const following = cli("logs", session.id, "-f");
      await new Promise((r) => setTimeout(r, 1500));
      const ok = await cli("reply", short, "once");
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(
        new RegExp(
          `^permission ${short} answered · session ${session.id.replace(/-/g, "").slice(0, 8)} write after asking$`,
          "m",
        ),
      );
      await waitFor(
        async () => (await api.call("getSession", { params: { id: session.id } })).status === "completed",
        "the session to complete",
        { timeoutMs: 90_000 },
      );
      expect(readFileSync(join(workDir.path, "asked.txt"), "utf8")).toBe("approved\n");
      const followed = await following;
      expect(followed.code, followed.stderr).toBe(0);
      expect(followed.stdout).toContain(`input      ▶ permission waits for an answer: edit `);
      expect(followed.stdout).toContain(`→ orchestrator reply ${listed.id} once|always|reject`);
      expect(followed.stdout).toMatch(/input\s+permission answered by key:/);

      // Answered once: a second reply is a conflict (exit 4) that says so; the inbox is empty again.
      const again = await cli("reply", listed.id, "reject", "--message", "too late");
      expect(again.code).toBe(4);
      expect(again.stderr).toMatch(/error: .*answered/);
      expect(again.stderr).toContain("code       CONFLICT (HTTP 409)");
      expect(again.stderr).toContain("already answered, expired or withdrawn");
      const json = await cli("reply", listed.id, "once", "--json");
      expect(json.code).toBe(4);
      expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: "CONFLICT", httpStatus: 409, exitCode: 4 } });
      expect(JSON.parse((await cli("inbox", "--json")).stdout)).toMatchObject({ items: [], total: 0 });
      expect(existsSync(join(workDir.path, "asked.txt"))).toBe(true);
    },
  );

  it(
    "answer: one positional per question, a multiple-choice one comma-separated; the API's 400 names the answer that does not fit",
    { timeout: 180_000 },
    async () => {
      const agent = await api.call("createAgent", {
        body: { name: "asks-questions", type: "implementer", allowQuestions: true },
      });
      const question = {
        questions: [
          {
            question: "Which colour?",
            header: "Colour",
            options: [
              { label: "Red", description: "warm" },
              { label: "Blue", description: "cold" },
            ],
          },
          {
            question: "Which pages?",
            header: "Pages",
            options: [
              { label: "Home", description: "" },
              { label: "Settings", description: "" },
            ],
            multiple: true,
          },
        ],
      };
      const script = `SCRIPT: ${JSON.stringify([{ tool: "question", input: question }, { text: "done" }])}`;
      const session = await api.call("createSession", {
        body: {
          title: "ask first",
          prompt: `Ask\n${script}`,
          directory: workDir.path,
          preferredAgentId: agent.id,
          retry: { maxAttempts: 1 },
        },
      });
      const listed = await waitFor(
        async () => (await api.call("listInbox", { query: { sessionId: session.id } })).items[0] ?? null,
        "the question in the inbox",
        { timeoutMs: 90_000 },
      );
      const table = await cli("inbox", "--kind", "question");
      expect(table.stdout).toContain("Colour: Which colour? / Pages: Which pages?");
      // OpenCode's questions take free text too (its question tool cannot turn that off).
      expect(table.stdout).toMatch(/^\s+1\. \[Red \| Blue\] \(one or your own text\)$/m);
      expect(table.stdout).toMatch(/^\s+2\. \[Home \| Settings\] \(one or more, comma-separated or your own text\)$/m);

      const few = await cli("answer", listed.id, "Blue");
      expect(few.code).toBe(2);
      expect(few.stderr).toContain("this request asks 2 questions; give one answer for each, in order (got 1)");
      const wrong = await cli("answer", listed.id, "Green", "Home,Home");
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain("code       INVALID_INPUT (HTTP 400)");
      expect(wrong.stderr).toMatch(/body\.answers\.1\.1: chosen twice/);
      expect(wrong.stderr).toContain("body.answers.<n> is the answer to question n+1");

      const ok = await cli("answer", listed.id.slice(0, 8), "Blue", "Home, Settings", "--json");
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({
        id: listed.id,
        status: "answered",
        reply: { answers: [["Blue"], ["Home", "Settings"]] },
      });
      await waitFor(
        async () => (await api.call("getSession", { params: { id: session.id } })).status === "completed",
        "the session to complete",
        { timeoutMs: 90_000 },
      );
    },
  );

  it("answer: an unknown request is not found (exit 3) with the inbox to look in; --reject with answers is a usage error", async () => {
    const missing = await cli("answer", "0b8e6a52-3f7c-4c55-9d59-0a3c5f6f1b2e", "Blue");
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("orchestrator inbox");
    const both = await cli("answer", "0b8e6a52", "Blue", "--reject");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--reject dismisses the question: give no answers with it");
  });
});
