import { describe, expect, it } from "vitest";
import { ROLES } from "../access/access";
import {
  canSetSandboxMounts,
  checkSandboxMounts,
  DEFAULT_AGENT_SANDBOX,
  isMountChangeRestricted,
  isSameMountList,
  mergeAgentSandbox,
  mountPathProblem,
  SANDBOX_MOUNT_REFUSALS,
  type AgentSandbox,
  type SandboxMount,
} from "./agent-sandbox";

const ro = (path: string): SandboxMount => ({ path, mode: "ro" });
const rw = (path: string): SandboxMount => ({ path, mode: "rw" });
const DATA = "/srv/orchestrator/.orchestrator";

describe("DEFAULT_AGENT_SANDBOX", () => {
  it("lets ordinary coding work run: network, no memory or CPU limit, a process bound, no mounts", () => {
    expect(DEFAULT_AGENT_SANDBOX).toEqual({
      network: "full",
      memoryMb: null,
      maxProcesses: 4096,
      cpuSeconds: null,
      mounts: [],
    });
  });

  it("is frozen, mounts included, so no agent's policy can change another's", () => {
    expect(Object.isFrozen(DEFAULT_AGENT_SANDBOX)).toBe(true);
    expect(Object.isFrozen(DEFAULT_AGENT_SANDBOX.mounts)).toBe(true);
    expect(() => DEFAULT_AGENT_SANDBOX.mounts.push(ro("/x"))).toThrow();
  });

  it("is what migration 0013 writes as the column default (the same JSON)", () => {
    expect(JSON.stringify(DEFAULT_AGENT_SANDBOX)).toBe(
      '{"network":"full","memoryMb":null,"maxProcesses":4096,"cpuSeconds":null,"mounts":[]}',
    );
  });
});

describe("mergeAgentSandbox", () => {
  const current: AgentSandbox = {
    network: "none",
    memoryMb: 2048,
    maxProcesses: 512,
    cpuSeconds: 600,
    mounts: [ro("/srv/cache")],
  };

  it("gives the base back unchanged for no change or an empty one", () => {
    expect(mergeAgentSandbox(DEFAULT_AGENT_SANDBOX, undefined)).toEqual(DEFAULT_AGENT_SANDBOX);
    expect(mergeAgentSandbox(current, {})).toEqual(current);
  });

  it("replaces each field given, one at a time, and keeps the others", () => {
    expect(mergeAgentSandbox(current, { network: "full" })).toEqual({ ...current, network: "full" });
    expect(mergeAgentSandbox(current, { memoryMb: 4096 })).toEqual({ ...current, memoryMb: 4096 });
    expect(mergeAgentSandbox(current, { maxProcesses: 64 })).toEqual({ ...current, maxProcesses: 64 });
    expect(mergeAgentSandbox(current, { cpuSeconds: 1 })).toEqual({ ...current, cpuSeconds: 1 });
    expect(mergeAgentSandbox(current, { mounts: [rw("/data")] })).toEqual({ ...current, mounts: [rw("/data")] });
  });

  it("lifts a limit given as null, and replaces the mount list as a whole (an empty list removes every mount)", () => {
    expect(mergeAgentSandbox(current, { memoryMb: null, maxProcesses: null, cpuSeconds: null })).toEqual({
      ...current,
      memoryMb: null,
      maxProcesses: null,
      cpuSeconds: null,
    });
    expect(mergeAgentSandbox(current, { mounts: [] }).mounts).toEqual([]);
  });

  it("treats a field given as undefined as not given (an optional field of a parsed body)", () => {
    expect(mergeAgentSandbox(current, { network: undefined, memoryMb: undefined, mounts: undefined })).toEqual(current);
  });

  it("over the defaults makes a new agent's policy, sharing no array with the defaults or the change", () => {
    const change = { mounts: [ro("/srv/cache")] };
    const merged = mergeAgentSandbox(DEFAULT_AGENT_SANDBOX, change);
    expect(merged).toEqual({ ...DEFAULT_AGENT_SANDBOX, mounts: [ro("/srv/cache")] });
    expect(merged.mounts).not.toBe(change.mounts);
    expect(merged.mounts[0]).not.toBe(change.mounts[0]);
    const plain = mergeAgentSandbox(DEFAULT_AGENT_SANDBOX, undefined);
    expect(plain.mounts).not.toBe(DEFAULT_AGENT_SANDBOX.mounts);
    plain.mounts.push(ro("/x"));
    expect(DEFAULT_AGENT_SANDBOX.mounts).toEqual([]);
  });
});

describe("who may set mounts", () => {
  it("is the admin alone", () => {
    expect(ROLES.map((role) => [role, canSetSandboxMounts({ role })])).toEqual([
      ["viewer", false],
      ["member", false],
      ["lead", false],
      ["admin", true],
    ]);
  });

  it("is asked only when a request sets mounts the agent does not have already", () => {
    const current = [ro("/a"), rw("/b")];
    expect(isMountChangeRestricted(current, undefined)).toBe(false);
    expect(isMountChangeRestricted(current, [])).toBe(false);
    expect(isMountChangeRestricted([], [])).toBe(false);
    expect(isMountChangeRestricted(current, [ro("/a"), rw("/b")])).toBe(false);
    expect(isMountChangeRestricted([], [ro("/a")])).toBe(true);
    expect(isMountChangeRestricted(current, [ro("/a")])).toBe(true);
    expect(isMountChangeRestricted(current, [ro("/a"), ro("/b")])).toBe(true);
    expect(isMountChangeRestricted(current, [rw("/b"), ro("/a")])).toBe(true);
    expect(isMountChangeRestricted(current, [ro("/a"), rw("/b"), ro("/c")])).toBe(true);
  });

  it("compares mount lists by path, mode and order", () => {
    expect(isSameMountList([], [])).toBe(true);
    expect(isSameMountList([ro("/a")], [ro("/a")])).toBe(true);
    expect(isSameMountList([ro("/a")], [rw("/a")])).toBe(false);
    expect(isSameMountList([ro("/a")], [ro("/b")])).toBe(false);
    expect(isSameMountList([ro("/a"), ro("/b")], [ro("/b"), ro("/a")])).toBe(false);
    expect(isSameMountList([ro("/a")], [])).toBe(false);
  });
});

describe("mountPathProblem", () => {
  it("accepts absolute, normalised paths below /", () => {
    for (const p of [
      "/srv",
      "/srv/cache",
      "/home/me/.npm",
      "/a b/c",
      "/srv/x:y",
      "/srv/..x/y..",
      "/srv/...",
      "/ünïcode/dir",
    ])
      expect(mountPathProblem(p), p).toBeNull();
  });

  it("refuses each kind of bad path with its own refusal and a reason", () => {
    const cases: [string, string, RegExp][] = [
      ["", "not-absolute", /absolute/],
      ["srv/cache", "not-absolute", /must start with \//],
      ["./srv", "not-absolute", /absolute/],
      ["~/cache", "not-absolute", /absolute/],
      ["/srv/\u0000x", "control-character", /control character/],
      ["/srv/a\nb", "control-character", /control character/],
      ["/srv/a\tb", "control-character", /control character/],
      ["/srv/a\u007fb", "control-character", /control character/],
      ["/srv/../etc", "parent-segment", /`\.\.`/],
      ["/..", "parent-segment", /`\.\.`/],
      ["/srv/cache/..", "parent-segment", /`\.\.`/],
      ["/srv/", "not-normalised", /write \/srv$/],
      ["//srv", "not-normalised", /write \/srv$/],
      ["/srv//cache", "not-normalised", /write \/srv\/cache$/],
      ["/srv/./cache", "not-normalised", /write \/srv\/cache$/],
      ["/srv/.", "not-normalised", /write \/srv$/],
      ["/", "root", /whole file system/],
      ["//", "not-normalised", /write \/$/],
    ];
    for (const [path, refusal, reason] of cases) {
      const p = mountPathProblem(path);
      expect(p?.refusal, JSON.stringify(path)).toBe(refusal);
      expect(p?.reason, JSON.stringify(path)).toMatch(reason);
    }
  });

  it("has a case above for every refusal that depends on the path alone", () => {
    const own = SANDBOX_MOUNT_REFUSALS.filter((r) => !["inside-forbidden", "holds-forbidden", "duplicate"].includes(r));
    expect(own).toEqual(["not-absolute", "control-character", "parent-segment", "not-normalised", "root"]);
  });
});

describe("checkSandboxMounts", () => {
  const check = (mounts: SandboxMount[], forbidden: string[] = [DATA]) => checkSandboxMounts(mounts, { forbidden });

  it("admits an empty list, and paths beside the forbidden ones", () => {
    expect(check([])).toEqual([]);
    expect(
      check([
        ro("/srv/cache"),
        rw("/srv/orchestrator/src"),
        ro("/srv/orchestrator/.orchestrator-old"),
        ro("/srv/orchestrator/.orch"),
      ]),
    ).toEqual([]);
    expect(check([ro("/srv/cache")], [])).toEqual([]);
  });

  it("refuses a forbidden path, anything inside it, and anything that holds it, naming it", () => {
    expect(check([ro(DATA)])).toEqual([
      { index: 0, path: DATA, refusal: "inside-forbidden", reason: `is inside ${DATA}, which no agent may mount` },
    ]);
    expect(check([rw(`${DATA}/worktrees/abc`)])).toMatchObject([{ index: 0, refusal: "inside-forbidden" }]);
    expect(check([ro("/srv/orchestrator")])).toEqual([
      {
        index: 0,
        path: "/srv/orchestrator",
        refusal: "holds-forbidden",
        reason: `holds ${DATA}, which no agent may mount: mount a folder beside it`,
      },
    ]);
    expect(check([ro("/srv")])).toMatchObject([{ refusal: "holds-forbidden" }]);
  });

  it("checks every forbidden path, and compares them normalised", () => {
    const forbidden = ["/var/lib/orchestrator/", "/real/data"];
    expect(check([ro("/var/lib/orchestrator/db")], forbidden)).toMatchObject([
      { refusal: "inside-forbidden", reason: "is inside /var/lib/orchestrator, which no agent may mount" },
    ]);
    expect(check([ro("/real")], forbidden)).toMatchObject([
      { refusal: "holds-forbidden", reason: expect.stringContaining("/real/data") },
    ]);
    expect(check([ro("/var/lib/other")], forbidden)).toEqual([]);
  });

  it("refuses a path listed twice (whatever the modes), naming the first entry", () => {
    expect(check([ro("/a"), ro("/b"), rw("/a"), ro("/a")])).toEqual([
      { index: 2, path: "/a", refusal: "duplicate", reason: "is already mounts entry 0" },
      { index: 3, path: "/a", refusal: "duplicate", reason: "is already mounts entry 0" },
    ]);
  });

  it("allows a mount inside another one (a writable cache inside a read-only tree)", () => {
    expect(check([ro("/srv/tree"), rw("/srv/tree/cache")])).toEqual([]);
  });

  it("lists every bad entry in order, one problem each (the path's own first)", () => {
    const problems = check([
      ro("relative"),
      ro("/ok"),
      ro("/"),
      rw(`${DATA}/x`),
      ro("/ok"),
      ro("/srv/orchestrator/"),
      ro("/a/../b"),
    ]);
    expect(problems.map((p) => [p.index, p.refusal])).toEqual([
      [0, "not-absolute"],
      [2, "root"],
      [3, "inside-forbidden"],
      [4, "duplicate"],
      [5, "not-normalised"],
      [6, "parent-segment"],
    ]);
    expect(problems.map((p) => p.path)).toEqual(["relative", "/", `${DATA}/x`, "/ok", "/srv/orchestrator/", "/a/../b"]);
  });

  it("refuses / even with nothing forbidden", () => {
    expect(check([rw("/")], [])).toMatchObject([{ index: 0, refusal: "root" }]);
  });

  it("reaches every refusal", () => {
    const seen = new Set(
      check([
        ro("x"),
        ro("/a\u0001"),
        ro("/a/.."),
        ro("/a/"),
        ro("/"),
        ro(`${DATA}/x`),
        ro("/srv"),
        ro("/b"),
        ro("/b"),
      ]).map((p) => p.refusal),
    );
    expect([...seen].sort()).toEqual([...SANDBOX_MOUNT_REFUSALS].sort());
  });
});
