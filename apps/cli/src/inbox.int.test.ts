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
  items: { id: string; kind: string; sessionId: string; sessionTitle: string; permission?: { name: string; diff?: string } }[];
  total: number;
}

describe("orchestrator inbox, reply and answer against a real server", () => {
  it("lists the write's permission request, refuses replies that do not fit, approves it once, then says it was already answered", { timeout: 180_000 }, async () => {
    const agent = await api.call("createAgent", { body: { name: "asks-first", type: "implementer", permissions: [{ permission: "edit", pattern: "*", action: "ask" }] } });
    const session = await api.call("createSession", {
      body: { title: "write after asking", prompt: `Write asked.txt\n${SCRIPT}`, directory: workDir.path, preferredAgentId: agent.id, retry: { maxAttempts: 1 } },
    });

    const listed = await waitFor(async () => {
      const r = await cli("inbox", "--json");
      expect(r.code, r.stderr).toBe(0);
      const page = JSON.parse(r.stdout) as InboxJson;
      return page.items.find((i) => i.sessionId === session.id) ?? null;
    }, "the request in `inbox --json`", { timeoutMs: 90_000 });
    expect(listed).toMatchObject({ kind: "permission", sessionTitle: "write after asking", permission: { name: "edit" } });
    expect(listed.permission?.diff).toContain("+approved");
    const short = listed.id.replace(/-/g, "").slice(0, 8);

    // The table: id, kind, session, what is asked, age; the diff's first changed line under it.
    const table = await cli("inbox", "--session", session.id.slice(0, 8));
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${short}\\s+permission\\s+write after asking\\s+edit \\S*asked\\.txt\\s+\\d+s$`, "m"));
    expect(table.stdout).toMatch(/^\s+\+approved$/m);
    expect(table.stdout).toContain("orchestrator reply <id> once|always|reject");
    const none = await cli("inbox", "--kind", "question");
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout.trim()).toBe("no open requests match these filters");

    // Replies that do not fit: a question's answer, an unknown decision (exit 2, naming what is wrong).
    const asAnswer = await cli("answer", short, "yes");
    expect(asAnswer.code).toBe(2);
    expect(asAnswer.stderr).toContain("asks for a permission, not an answer: use `orchestrator reply <id> once|always|reject`");
    const bad = await cli("reply", short, "maybe");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid <decision>: must be one of once, always, reject");
    // A question's dismissal sent to a permission: the CLI knows the request's kind and says which command fits.
    const wrongShape = await cli("answer", listed.id, "--reject");
    expect(wrongShape.code).toBe(2);
    expect(wrongShape.stderr).toContain("decline it with `orchestrator reply");

    const ok = await cli("reply", short, "once");
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^permission ${short} answered · session ${session.id.replace(/-/g, "").slice(0, 8)} write after asking$`, "m"));
    await waitFor(async () => (await api.call("getSession", { params: { id: session.id } })).status === "completed", "the session to complete", { timeoutMs: 90_000 });
    expect(readFileSync(join(workDir.path, "asked.txt"), "utf8")).toBe("approved\n");

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
  });

  it("answer: an unknown request is not found (exit 3) with the inbox to look in; --reject with answers is a usage error", async () => {
    const missing = await cli("answer", "0b8e6a52-3f7c-4c55-9d59-0a3c5f6f1b2e", "Blue");
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("orchestrator inbox");
    const both = await cli("answer", "0b8e6a52", "Blue", "--reject");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--reject dismisses the question: give no answers with it");
  });
});
