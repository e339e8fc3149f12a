import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

// OpenCode's own file tools (read, write, edit…) do not go through the
// sandbox shell: they are held to the session's folder by the runner's
// `external_directory: deny` permission. Through the real opencode serve.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => h?.close());

async function run(title: string, steps: unknown[]) {
  const s = await h.api.call("createSession", {
    body: { title, prompt: scripted(title, [...steps, { text: "done" }]), retry: { maxAttempts: 1 } },
  });
  const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 60_000);
  const tools = (await allEvents(h.api, s.id)).flatMap((e) =>
    e.type === "session.tool" && ["completed", "error"].includes(e.payload.status) ? [e.payload] : [],
  );
  return { ws: done.workspace.path!, tools };
}

describe("the file tools outside the session's folder", () => {
  it("cannot read or write another session's folder; inside they work", async () => {
    const owner = await run("owner", [
      { tool: "write", input: { filePath: "kept.txt", content: "kept by the owner\n" } },
    ]);
    const other = await run("outside", [
      { tool: "read", input: { filePath: join(owner.ws, "kept.txt") } },
      { tool: "write", input: { filePath: join(owner.ws, "planted.txt"), content: "planted\n" } },
      { tool: "write", input: { filePath: "inside.txt", content: "inside\n" } },
    ]);
    expect(other.tools.map((t) => [t.tool, t.status])).toEqual([
      ["read", "error"],
      ["write", "error"],
      ["write", "completed"],
    ]);
    expect(JSON.stringify(other.tools[0])).not.toContain("kept by the owner");
    expect(existsSync(join(owner.ws, "planted.txt"))).toBe(false);
    expect(readFileSync(join(other.ws, "inside.txt"), "utf8")).toBe("inside\n");
  }, 120_000);
});
