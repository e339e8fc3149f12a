import { describe, expect, it } from "vitest";
import { computeBwrapArgs, computeUlimits } from "./bwrap-args";
import { DEFAULT_AGENT_SANDBOX as DEFAULT_SANDBOX_POLICY } from "@industrial/core";
import { HIDDEN_SYSTEM_FILES, SYSTEM_PATHS } from "./policy";

const dirs = new Set(["/usr", "/bin", "/lib", "/etc", "/etc/ssh", "/data"]);
const files = new Set(["/etc/shadow"]);
const kind = (p: string) => (dirs.has(p) ? "dir" : files.has(p) ? "file" : null);
const target = {
  root: "/data/worktrees/abcd1234",
  gitDirs: [
    { path: "/data/mirrors/x.git", mode: "ro" as const },
    { path: "/data/mirrors/x.git/worktrees/abcd1234", mode: "rw" as const },
  ],
};

/** The [flag, from, to] triples of the mounts, in order. */
function mounts(args: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < args.length; i++) {
    if (["--ro-bind", "--bind", "--ro-bind-try", "--bind-try"].includes(args[i]!))
      out.push([args[i]!, args[i + 1]!, args[i + 2]!]);
    if (["--tmpfs", "--proc", "--dev", "--dir"].includes(args[i]!)) out.push([args[i]!, args[i + 1]!]);
  }
  return out;
}

describe("computeBwrapArgs", () => {
  const args = computeBwrapArgs({ target, policy: DEFAULT_SANDBOX_POLICY, hidden: ["/data"], kind });
  const m = mounts(args);
  const at = (entry: string[]) => m.findIndex((x) => JSON.stringify(x) === JSON.stringify(entry));

  it("binds the system paths that exist read-only and skips the others", () => {
    for (const p of SYSTEM_PATHS) expect(at(["--ro-bind", p, p]) >= 0, p).toBe(dirs.has(p));
  });

  it("hides the data dir and secret files, the session's folder and git dirs after them", () => {
    expect(at(["--tmpfs", "/data"])).toBeGreaterThan(at(["--ro-bind", "/etc", "/etc"]));
    expect(at(["--ro-bind", "/dev/null", "/etc/shadow"])).toBeGreaterThan(-1);
    expect(at(["--tmpfs", "/etc/ssh"])).toBeGreaterThan(-1);
    for (const f of HIDDEN_SYSTEM_FILES) if (!dirs.has(f) && !files.has(f)) expect(args).not.toContain(f);
    const root = at(["--bind", target.root, target.root]);
    expect(root).toBe(m.length - 2);
    // Its .git read-only over it: what the orchestrator's own git reads there stays the orchestrator's.
    expect(m.at(-1)).toEqual(["--ro-bind-try", `${target.root}/.git`, `${target.root}/.git`]);
    expect(at(["--ro-bind", "/data/mirrors/x.git", "/data/mirrors/x.git"])).toBeGreaterThan(at(["--tmpfs", "/data"]));
    expect(
      at(["--bind", "/data/mirrors/x.git/worktrees/abcd1234", "/data/mirrors/x.git/worktrees/abcd1234"]),
    ).toBeGreaterThan(at(["--ro-bind", "/data/mirrors/x.git", "/data/mirrors/x.git"]));
  });

  it("gives a private /tmp, /proc of its own and HOME, drops capabilities, isolates pids", () => {
    expect(at(["--tmpfs", "/tmp"])).toBeLessThan(at(["--bind", target.root, target.root]));
    expect(at(["--proc", "/proc"])).toBeGreaterThan(-1);
    expect(args.join(" ")).toContain("--setenv HOME /tmp/home");
    expect(args.join(" ")).toContain("--cap-drop ALL");
    expect(args).toContain("--unshare-pid");
    expect(args).toContain("--die-with-parent");
  });

  it("network none unshares the network; full keeps the host's", () => {
    expect(args).not.toContain("--unshare-net");
    expect(
      computeBwrapArgs({ target, policy: { ...DEFAULT_SANDBOX_POLICY, network: "none" }, hidden: [], kind }),
    ).toContain("--unshare-net");
  });

  it("an admin's extra mounts, read-only or writable, before the session's folder; one missing on this replica left out by bwrap", () => {
    const withMounts = mounts(
      computeBwrapArgs({
        target,
        policy: {
          ...DEFAULT_SANDBOX_POLICY,
          mounts: [
            { path: "/srv/cache", mode: "rw" },
            { path: "/srv/tools", mode: "ro" },
          ],
        },
        hidden: [],
        kind,
      }),
    );
    expect(withMounts).toContainEqual(["--bind-try", "/srv/cache", "/srv/cache"]);
    expect(withMounts).toContainEqual(["--ro-bind-try", "/srv/tools", "/srv/tools"]);
    expect(withMounts.at(-2)).toEqual(["--bind", target.root, target.root]);
  });
});

describe("computeUlimits", () => {
  it("each limit that is set, in bash's units", () => {
    expect(computeUlimits(DEFAULT_SANDBOX_POLICY)).toEqual(["-u 4096"]);
    expect(computeUlimits({ ...DEFAULT_SANDBOX_POLICY, memoryMb: 2048, maxProcesses: null, cpuSeconds: 60 })).toEqual([
      "-v 2097152",
      "-t 60",
    ]);
    expect(computeUlimits({ ...DEFAULT_SANDBOX_POLICY, maxProcesses: null })).toEqual([]);
  });
});
