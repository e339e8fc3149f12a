import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { tempDir } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "./testing/cli-harness";

/**
 * The CLI as people run it, in a child process, against a real orchestrator
 * started in this process (demo mode, scripted model, the project's storage
 * backend). Asserts exit codes and output. The first and last commands run the
 * installed entry, `node apps/cli/bin/orchestrator.js …`; the rest its compiled
 * module (testing/cli-harness.ts says why).
 */
const SCRIPT = 'SCRIPT: [{"tool":"write","input":{"filePath":"hello.txt","content":"hi\\n"}},{"text":"done"}]';

let harness: CliHarness;
const workDir = tempDir("orch-cli-work-");
const cli = (...args: string[]) => harness.cli(...args);

/** A port nothing listens on: bind one, then let it go. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  harness = await startCliHarness();
});

afterAll(async () => {
  await harness?.stop();
  workDir.remove();
});

describe("orchestrator CLI against a real server", () => {
  let id = "";

  it("submit --wait --json runs a scripted session to completion (exit 0)", { timeout: 120_000 }, async () => {
    const r = await harness.cliWith(
      { entry: "bin" },
      "submit",
      `Write hello.txt\n${SCRIPT}`,
      "--dir",
      workDir.path,
      "--priority",
      "high",
      "--tag",
      "cli-test",
      "--wait",
      "--json",
    );
    expect(r.code, r.stderr).toBe(0);
    const session = JSON.parse(r.stdout) as { id: string; status: string; priority: string; tags: string[] };
    expect(session).toMatchObject({ status: "completed", priority: "high", tags: ["cli-test"] });
    expect(readFileSync(join(workDir.path, "hello.txt"), "utf8")).toBe("hi\n");
    id = session.id;
  });

  it("ls --json lists it as one JSON document", async () => {
    const r = await cli("ls", "--json", "--status", "completed");
    expect(r.code, r.stderr).toBe(0);
    const page = JSON.parse(r.stdout) as { items: { id: string; status: string }[]; total: number };
    expect(page.items.find((s) => s.id === id)?.status).toBe("completed");
  });

  it("show prints fields and metrics, by full id or short prefix", async () => {
    const r = await cli("show", id);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(id);
    expect(r.stdout).toMatch(/status\s+completed/);
    expect(r.stdout).toMatch(/tools\s+write×1/);
    const short = await cli("show", id.slice(0, 8), "--json");
    expect(JSON.parse(short.stdout)).toMatchObject({ id, status: "completed" });
  });

  it("logs prints the event log with the write tool call; -f on a finished session exits 0", async () => {
    const r = await cli("logs", id);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/tool\s+write completed/);
    expect(r.stdout).toMatch(/status\s+running → completed/);
    const f = await cli("logs", id, "-f");
    expect(f.code, f.stderr).toBe(0);
  });

  it("checkpoints --verify finds the chain intact (exit 0)", async () => {
    const r = await cli("checkpoints", id, "--verify");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s*1\s+\w+/m);
    expect(r.stdout).toContain("chain intact");
  });

  it("a bad priority is a usage error naming the option (exit 2)", async () => {
    const r = await cli("submit", "x", "--priority", "urgent");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--priority");
    expect(r.stdout).toBe("");
    const json = await cli("submit", "x", "--priority", "urgent", "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { code: "USAGE", exitCode: 2, details: [{ path: "--priority" }] },
    });
  });

  it("input the API refuses is exit 2 with the field named", async () => {
    const r = await cli("submit", "x", "--dir", join(workDir.path, "missing"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("body.directory");
    expect(r.stderr).toMatch(/request id\s+\S+/);
  });

  it("an unknown id is not found (exit 3)", async () => {
    const r = await cli("show", randomUUID());
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("NOT_FOUND");
  });

  it("pause on a completed session is a conflict (exit 4)", async () => {
    const r = await cli("pause", id);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("INVALID_TRANSITION");
  });

  it("an unreachable server is exit 5", async () => {
    const r = await harness.cliWith({ entry: "bin" }, "ls", "--url", `http://127.0.0.1:${await closedPort()}`);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("cannot reach");
  });
});
