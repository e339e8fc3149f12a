import { describe, expect, it } from "vitest";
import { AddAgentOptions, toCreateAgentBody, toPatchAgentBody, UpdateAgentOptions } from "./agent-options";
import { UsageError } from "./cli-error";
import { parseOptions } from "./options";
import { toSandboxChange } from "./sandbox-options";

const parseAdd = (raw: Record<string, unknown>) =>
  parseOptions(AddAgentOptions, { name: "boxed", type: "implementer", ...raw }, { name: "<name>" });
// Commander gives `mounts: true` unless --no-mounts is passed.
const parseUpdate = (raw: Record<string, unknown>) => parseOptions(UpdateAgentOptions, { mounts: true, ...raw });

function usageError(parse: () => unknown): UsageError {
  try {
    parse();
  } catch (e) {
    if (e instanceof UsageError) return e;
  }
  throw new Error("expected a UsageError");
}

describe("sandbox flags of agents add", () => {
  it("send the flags given as the body's sandbox, and nothing when none is given (the server's defaults apply)", () => {
    expect(toCreateAgentBody(parseAdd({}), undefined)).not.toHaveProperty("sandbox");
    const o = parseAdd({
      network: "none",
      memoryMb: "2048",
      maxProcesses: "none",
      cpuSeconds: "600",
      mount: ["/srv/cache", "/srv/out:rw", "/srv/ro:ro"],
    });
    expect(toCreateAgentBody(o, undefined).sandbox).toEqual({
      network: "none",
      memoryMb: 2048,
      maxProcesses: null,
      cpuSeconds: 600,
      mounts: [
        { path: "/srv/cache", mode: "ro" },
        { path: "/srv/out", mode: "rw" },
        { path: "/srv/ro", mode: "ro" },
      ],
    });
  });

  it("take none as no limit for each limit, alone", () => {
    expect(toSandboxChange(parseAdd({ memoryMb: "none" }))).toEqual({ memoryMb: null });
    expect(toSandboxChange(parseAdd({ cpuSeconds: " none " }))).toEqual({ cpuSeconds: null });
    expect(toSandboxChange(parseAdd({ maxProcesses: "16" }))).toEqual({ maxProcesses: 16 });
  });

  it("name the flag and its range for a bad limit", () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ memoryMb: "255" }, "--memory-mb", "must be none (no limit) or a whole number from 256 to 1048576"],
      [{ memoryMb: "1.5" }, "--memory-mb", "from 256 to 1048576"],
      [{ memoryMb: "unlimited" }, "--memory-mb", "must be none (no limit)"],
      [{ maxProcesses: "100001" }, "--max-processes", "from 16 to 100000"],
      [{ cpuSeconds: "0" }, "--cpu-seconds", "from 1 to 86400"],
      [{ cpuSeconds: "-5" }, "--cpu-seconds", "from 1 to 86400"],
      [{ network: "host" }, "--network", "must be one of full, none"],
    ];
    for (const [raw, flag, reason] of cases) {
      const e = usageError(() => parseAdd(raw));
      expect(e.message, JSON.stringify(raw)).toContain(`invalid ${flag}: `);
      expect(e.message, JSON.stringify(raw)).toContain(reason);
    }
  });

  it("name --mount and the value for a bad mode", () => {
    const e = usageError(() => parseAdd({ mount: ["/srv/ok", "/srv/cache:wr"] }));
    expect(e.message).toBe('invalid --mount: "/srv/cache:wr": the mode after the last : must be ro or rw');
  });
});

describe("agents update options", () => {
  it("send only what was given; --mount replaces the list and --no-mounts empties it", () => {
    expect(toPatchAgentBody(parseUpdate({}), undefined)).toBeNull();
    expect(toPatchAgentBody(parseUpdate({ maxConcurrent: "3" }), undefined)).toEqual({ maxConcurrent: 3 });
    expect(toPatchAgentBody(parseUpdate({ network: "full", mount: ["/srv/a:rw"] }), undefined)).toEqual({
      sandbox: { network: "full", mounts: [{ path: "/srv/a", mode: "rw" }] },
    });
    expect(toPatchAgentBody(parseUpdate({ mounts: false }), undefined)).toEqual({ sandbox: { mounts: [] } });
    expect(toPatchAgentBody(parseUpdate({ cpuSeconds: "none", mounts: false }), "Be brief.")).toEqual({
      systemPrompt: "Be brief.",
      sandbox: { cpuSeconds: null, mounts: [] },
    });
  });

  it("refuse --mount with --no-mounts, and two system prompts", () => {
    expect(usageError(() => parseUpdate({ mounts: false, mount: ["/srv/a"] })).message).toBe(
      "invalid --mount: give either --mount or --no-mounts, not both",
    );
    expect(usageError(() => parseUpdate({ systemPrompt: "x", systemPromptFile: "/tmp/p" })).message).toContain(
      "give either --system-prompt or --system-prompt-file",
    );
  });
});
