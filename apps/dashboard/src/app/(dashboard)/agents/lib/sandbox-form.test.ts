import { DEFAULT_AGENT_SANDBOX } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { mountsErrorAt, parseMountLines, toLimitValue, toSandboxChange, toSandboxForm } from "./sandbox-form";

describe("the sandbox group of the agent dialogs", () => {
  it("starts from the defaults, and shows a policy's limits (empty: unlimited) and mounts one per line", () => {
    expect(toSandboxForm()).toEqual({
      network: "full",
      memoryMb: "",
      maxProcesses: "4096",
      cpuSeconds: "",
      mounts: "",
    });
    expect(
      toSandboxForm({
        network: "none",
        memoryMb: 2048,
        maxProcesses: null,
        cpuSeconds: 600,
        mounts: [
          { path: "/srv/cache", mode: "ro" },
          { path: "/srv/out", mode: "rw" },
        ],
      }),
    ).toEqual({
      network: "none",
      memoryMb: "2048",
      maxProcesses: "",
      cpuSeconds: "600",
      mounts: "/srv/cache:ro\n/srv/out:rw",
    });
  });

  it("sends an empty limit as null, a whole number as the number, and anything else as typed for the API to name", () => {
    expect(toLimitValue("")).toBeNull();
    expect(toLimitValue("   ")).toBeNull();
    expect(toLimitValue(" 2048 ")).toBe(2048);
    expect(toLimitValue("abc")).toBe("abc");
    expect(toLimitValue("1.5")).toBe("1.5");
    expect(toLimitValue("-1")).toBe("-1");
    expect(toLimitValue("1e3")).toBe("1e3");
  });

  it("reads mount lines (read-only unless :rw), skipping blank ones", () => {
    expect(parseMountLines("")).toEqual({ mounts: [], problems: [] });
    expect(parseMountLines("/srv/cache\n\n  /srv/out:rw  \r\n/srv/ro:ro\n")).toEqual({
      mounts: [
        { path: "/srv/cache", mode: "ro" },
        { path: "/srv/out", mode: "rw" },
        { path: "/srv/ro", mode: "ro" },
      ],
      problems: [],
    });
  });

  it("names the line of a bad mode instead of sending it as part of a path", () => {
    expect(parseMountLines("/srv/ok\n\n/srv/cache:wr\n:ro")).toEqual({
      mounts: [{ path: "/srv/ok", mode: "ro" }],
      problems: [
        'line 3: "/srv/cache:wr": the mode after the last : must be ro or rw',
        'line 4: ":ro": expected path, path:ro or path:rw (e.g. /srv/cache:ro)',
      ],
    });
  });

  it("leaves a path's own rules to the API (it names the entry)", () => {
    expect(parseMountLines("relative/dir:rw\n/srv/../etc")).toEqual({
      mounts: [
        { path: "relative/dir", mode: "rw" },
        { path: "/srv/../etc", mode: "ro" },
      ],
      problems: [],
    });
  });

  it("sends every field, and the mounts only for a caller who may set them", () => {
    const form = {
      network: "none" as const,
      memoryMb: "1024",
      maxProcesses: "",
      cpuSeconds: "60",
      mounts: "/srv/cache:rw",
    };
    expect(toSandboxChange(form, true)).toEqual({
      change: {
        network: "none",
        memoryMb: 1024,
        maxProcesses: null,
        cpuSeconds: 60,
        mounts: [{ path: "/srv/cache", mode: "rw" }],
      },
      mountProblems: [],
    });
    expect(toSandboxChange(form, false)).toEqual({
      change: { network: "none", memoryMb: 1024, maxProcesses: null, cpuSeconds: 60 },
      mountProblems: [],
    });
    expect(toSandboxChange({ ...form, mounts: "/x:bad" }, false).mountProblems).toEqual([]);
    expect(toSandboxChange({ ...form, mounts: "/x:bad" }, true).mountProblems).toHaveLength(1);
    // The default form sends the default policy back (an empty mount list for an admin).
    expect(toSandboxChange(toSandboxForm(), true).change).toEqual(DEFAULT_AGENT_SANDBOX);
  });

  it("shows the API's mount errors with the entry, the list's own error first", () => {
    const sent = [
      { path: "/srv/ok", mode: "ro" as const },
      { path: "/data/.orchestrator", mode: "rw" as const },
    ];
    const inside = "/data/.orchestrator is inside /data/.orchestrator, which no agent may mount";
    expect(mountsErrorAt({ "sandbox.mounts.1.path": inside }, sent)).toBe(inside);
    expect(mountsErrorAt({ "sandbox.mounts.1.mode": "must be one of ro, rw" }, sent)).toBe(
      "/data/.orchestrator:rw: must be one of ro, rw",
    );
    expect(mountsErrorAt({ "sandbox.mounts.5.path": "bad" }, sent)).toBe("entry 6: bad");
    expect(mountsErrorAt({ "sandbox.mounts": "only an admin sets mounts", "sandbox.mounts.0.path": "x" }, sent)).toBe(
      "only an admin sets mounts",
    );
    expect(mountsErrorAt({ "sandbox.memoryMb": "too small" }, sent)).toBeUndefined();
  });
});
