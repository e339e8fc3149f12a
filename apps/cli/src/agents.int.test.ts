import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "./testing/cli-harness";

/**
 * `orchestrator agents …` as people run it, against a real orchestrator (see
 * testing/cli-harness.ts). The fleet: the `default` agent registered at first
 * start (every capability), plus `auditor` (a reviewer) and `coder` (an
 * implementer, no security_audit) added here.
 */
let harness: CliHarness;
const files = tempDir("orch-cli-agents-");
const cli = (...args: string[]) => harness.cli(...args);

interface RouteJson {
  agentName: string | null;
  excluded: { agentName: string; why: string }[];
  alternatives: { agentName: string }[];
}

beforeAll(async () => {
  harness = await startCliHarness();
});

afterAll(async () => {
  await harness?.stop();
  files.remove();
});

describe("orchestrator agents against a real server", () => {
  it("agents add registers an agent with capabilities, permissions and a system prompt file", async () => {
    const promptFile = join(files.path, "auditor.md");
    writeFileSync(promptFile, "You audit code for security issues.\nBe terse.\n");
    const r = await cli(
      "agents",
      "add",
      "auditor",
      "--type",
      "reviewer",
      "--capability",
      "debugging",
      "--permission",
      "edit=deny",
      "--permission",
      "bash:git *=allow",
      "--system-prompt-file",
      promptFile,
      "--temperature",
      "0.2",
      "--max-concurrent",
      "3",
      "--json",
    );
    expect(r.code, r.stderr).toBe(0);
    const agent = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(agent).toMatchObject({
      name: "auditor",
      type: "reviewer",
      temperature: 0.2,
      maxConcurrent: 3,
      systemPrompt: "You audit code for security issues.\nBe terse.\n",
      permissions: [
        { permission: "edit", pattern: "*", action: "deny" },
        { permission: "bash", pattern: "git *", action: "allow" },
      ],
      status: "active",
    });
    expect(agent.capabilities).toEqual(expect.arrayContaining(["security_audit", "code_review", "debugging"]));

    const coder = await cli("agents", "add", "coder", "--type", "implementer");
    expect(coder.code, coder.stderr).toBe(0);
    expect(coder.stdout).toMatch(/^added agent coder \([0-9a-f-]{36}\)/);
    expect(coder.stdout).toMatch(/^type\s+implementer$/m);
  });

  it("agents add refuses a bad --permission (exit 2) and a taken name (exit 4)", async () => {
    const bad = await cli("agents", "add", "other", "--type", "reviewer", "--permission", "edit=maybe");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid --permission: "edit=maybe": the action must be one of allow, ask, deny');
    const taken = await cli("agents", "add", "auditor", "--type", "reviewer");
    expect(taken.code).toBe(4);
    expect(taken.stderr).toContain("CONFLICT");
    expect(taken.stderr).toContain("choose another");
  });

  it("agents ls shows the fleet as a table, and filters by capability", async () => {
    const r = await cli("agents", "ls");
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+TIER\s+STATUS\s+LOAD\s+SUCCESS\s+FINISHED\s+BREAKER\s+RUNNER\s+SANDBOX$/);
    expect(lines.find((l) => l.startsWith("auditor"))).toMatch(
      /^auditor\s+reviewer\s+PROBATION\s+active\s+0\/3\s+-\s+0\s+closed\s+managed\s+network, 4096 procs$/,
    );
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(["NAME", "auditor", "coder", "default"]);

    const json = await cli("agents", "ls", "--capability", "security_audit", "--json");
    expect(json.code, json.stderr).toBe(0);
    const page = JSON.parse(json.stdout) as { items: { name: string }[]; total: number; nextCursor: string | null };
    expect(page.items.map((a) => a.name)).toEqual(["auditor", "default"]);
    expect(page).toMatchObject({ total: 2, nextCursor: null });
  });

  it("agents route --capability security_audit chooses the reviewer and explains the score", async () => {
    const r = await cli("agents", "route", "--type", "review", "--capability", "security_audit");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^chosen\s+auditor \([0-9a-f]{8}\)$/m);
    expect(r.stdout).toMatch(/^TERM\s+WEIGHT\s+VALUE\s+WEIGHTED$/m);
    for (const term of ["tier", "capabilitySuccess", "load", "cost", "affinity"])
      expect(r.stdout).toMatch(new RegExp(`^${term}\\s+0\\.\\d\\d\\s+\\d\\.\\d\\d\\s+\\d\\.\\d{3}$`, "m"));
    expect(r.stdout).toMatch(/^affinity\s+0\.10\s+1\.00\s+0\.100$/m);
    expect(r.stdout).toMatch(/^total\s+0\.\d{3}$/m);
    expect(r.stdout).toMatch(/^alternatives\nAGENT\s+TOTAL.*\ndefault\s+0\.\d{3}/m);
    expect(r.stdout).toMatch(/^coder\s+lacks a required capability$/m);
    expect(r.stdout).toMatch(/^reason\s+auditor scored 0\.\d\d/m);
  });

  it("agents show prints the profile, breaker and tier history, by name", async () => {
    const r = await cli("agents", "show", "auditor");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^permissions\s+edit=deny, bash:git \*=allow$/m);
    expect(r.stdout).toMatch(/^system prompt\s+You audit code for security issues\. \(\+1 more line\)$/m);
    expect(r.stdout).toMatch(/^temperature\s+0\.2$/m);
    expect(r.stdout).toMatch(/^breaker\s+closed$/m);
    expect(r.stdout).toMatch(/^tier history\n.*\n\S+\s+PROBATION\s+0\s+-\s+registered$/m);
    const missing = await cli("agents", "show", "nobody");
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("no agent is named nobody");
    const unknown = await cli("agents", "show", randomUUID());
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("orchestrator agents ls");
  });

  it("agents drain takes the agent out of routing", async () => {
    const r = await cli("agents", "drain", "auditor");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("drain: auditor is draining, 0/3 running\n");
    const route = await cli("agents", "route", "--type", "review", "--capability", "security_audit", "--json");
    expect(route.code, route.stderr).toBe(0);
    const decision = JSON.parse(route.stdout) as RouteJson;
    expect(decision.agentName).toBe("default");
    expect(decision.excluded).toContainEqual(
      expect.objectContaining({ agentName: "auditor", why: "status is draining" }),
    );
  });

  it("agents maintenance and rm; route exits 1 when nobody can take the session", async () => {
    const on = await cli("agents", "maintenance", "default", "on", "--reason", "provider outage");
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toContain("default is active, maintenance (provider outage)");
    const none = await cli("agents", "route", "--capability", "security_audit");
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^chosen\s+no agent can take it now$/m);
    expect(none.stdout).toMatch(/^default\s+in maintenance$/m);
    const off = await cli("agents", "maintenance", "default", "off", "--json");
    expect(JSON.parse(off.stdout)).toMatchObject({ name: "default", maintenance: false });

    const rm = await cli("agents", "rm", "coder");
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stdout).toMatch(/^removed agent coder \([0-9a-f-]{36}\)$/m);
    expect((await cli("agents", "show", "coder")).code).toBe(3);
  });

  it("agents add and update set the sandbox policy; show prints it; bad values name the flag or the API's field", async () => {
    const cache = join(files.path, "cache");
    const added = await cli(
      "agents",
      "add",
      "boxed",
      "--type",
      "implementer",
      "--network",
      "none",
      "--memory-mb",
      "2048",
      "--mount",
      cache,
      "--mount",
      `${files.path}/out:rw`,
      "--json",
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      name: "boxed",
      sandbox: {
        network: "none",
        memoryMb: 2048,
        maxProcesses: 4096,
        cpuSeconds: null,
        mounts: [
          { path: cache, mode: "ro" },
          { path: `${files.path}/out`, mode: "rw" },
        ],
      },
    });

    const updated = await cli(
      "agents",
      "update",
      "boxed",
      "--cpu-seconds",
      "600",
      "--max-processes",
      "none",
      "--memory-mb",
      "none",
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(/^updated agent boxed \([0-9a-f-]{36}\)$/m);
    expect(updated.stdout).toMatch(/^sandbox\s+network none · memory none · processes none · cpu 600 s$/m);
    expect(updated.stdout).toContain(`mounts          ${cache}:ro, ${files.path}/out:rw`);

    const cleared = await cli("agents", "update", "boxed", "--no-mounts", "--json");
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(JSON.parse(cleared.stdout).sandbox).toEqual({
      network: "none",
      memoryMb: null,
      maxProcesses: null,
      cpuSeconds: 600,
      mounts: [],
    });
    const shown = await cli("agents", "show", "boxed");
    expect(shown.stdout).toMatch(/^sandbox\s+network none · memory none · processes none · cpu 600 s$/m);
    expect(shown.stdout).toMatch(/^mounts\s+none$/m);
    const ls = await cli("agents", "ls");
    expect(ls.stdout).toMatch(/^boxed\s+implementer\s+.*\s+managed\s+no network, 600 cpu-s$/m);

    // The CLI's own syntax and ranges: exit 2 before any request, naming the flag.
    const badLimit = await cli("agents", "update", "boxed", "--memory-mb", "100");
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain(
      "invalid --memory-mb: must be none (no limit) or a whole number from 256 to 1048576",
    );
    const badMode = await cli("agents", "add", "boxed-2", "--type", "implementer", "--mount", "/srv/cache:wr");
    expect(badMode.code).toBe(2);
    expect(badMode.stderr).toContain('invalid --mount: "/srv/cache:wr": the mode after the last : must be ro or rw');
    const nothing = await cli("agents", "update", "boxed");
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("nothing to change");
    // The path's rules are the API's: its 400 names the entry.
    const relative = await cli("agents", "update", "boxed", "--mount", "relative/dir:rw");
    expect(relative.code).toBe(2);
    expect(relative.stderr).toContain("body.sandbox.mounts.0.path");
    expect(relative.stderr).toContain("is not an absolute path");
    expect(JSON.parse((await cli("agents", "show", "boxed", "--json")).stdout).agent.sandbox.mounts).toEqual([]);
  });

  it("agents add and update set fallback models, questions and the input timeout; show prints them", async () => {
    const added = await cli(
      "agents",
      "add",
      "fallbacker",
      "--type",
      "implementer",
      "--model",
      "scripted/scripted-unavailable",
      "--fallback-model",
      "scripted/scripted-model-large",
      "--fallback-model",
      "scripted/scripted-model",
      "--allow-questions",
      "--input-timeout",
      "0",
      "--json",
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      fallbackModels: ["scripted/scripted-model-large", "scripted/scripted-model"],
      allowQuestions: true,
      inputTimeoutSeconds: 0,
    });

    const updated = await cli(
      "agents",
      "update",
      "fallbacker",
      "--fallback-model",
      "scripted/scripted-model",
      "--no-allow-questions",
      "--input-timeout",
      "300",
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(/^fallbacks\s+scripted\/scripted-model$/m);
    expect(updated.stdout).toMatch(/^questions\s+denied$/m);
    expect(updated.stdout).toMatch(/^input timeout\s+5m 00s$/m);

    const cleared = await cli("agents", "update", "fallbacker", "--no-fallback-models", "--json");
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(JSON.parse(cleared.stdout)).toMatchObject({
      fallbackModels: [],
      allowQuestions: false,
      inputTimeoutSeconds: 300,
    });
    expect((await cli("agents", "show", "fallbacker")).stdout).toMatch(/^fallbacks\s+none$/m);

    const badRef = await cli("agents", "update", "fallbacker", "--fallback-model", "gpt-4");
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toContain("invalid --fallback-model: must be provider/model");
    const twice = await cli(
      "agents",
      "add",
      "fallbacker-2",
      "--type",
      "implementer",
      "--fallback-model",
      "a/b",
      "--fallback-model",
      "a/b",
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("invalid --fallback-model: a/b is listed twice");
  });
});
