import { describe, expect, it } from "vitest";
import { folderLayoutOf, parseConfig } from "./config";

const parse = (env: Record<string, string>) => parseConfig(env, "/srv/orch");

// ORCHESTRATOR_WORK_REMOTE and ORCHESTRATOR_GIT_SSH_KEY (docs/work-remote.md).
describe("work remote settings", () => {
  it("defaults to a bare repository under the data dir", () => {
    const r = parse({ ORCHESTRATOR_DATA_DIR: "data" });
    expect(r.ok && r.config.ORCHESTRATOR_WORK_REMOTE).toBe("/srv/orch/data/work-remote.git");
    expect(r.ok && r.config.workRemoteIsDefault).toBe(true);
  });

  it("takes a git URL or an absolute path as given, and resolves the SSH key file", () => {
    for (const url of [
      "git://127.0.0.1:9418/work.git",
      "ssh://git@git.example.com/org/work.git",
      "git@github.com:org/work.git",
      "/srv/git/work.git",
      "https://git.example.com/work.git",
    ]) {
      const r = parse({ ORCHESTRATOR_WORK_REMOTE: url, ORCHESTRATOR_GIT_SSH_KEY: "keys/id_ed25519" });
      expect(r.ok, url).toBe(true);
      if (r.ok) {
        expect(r.config.ORCHESTRATOR_WORK_REMOTE).toBe(url);
        expect(r.config.workRemoteIsDefault).toBe(false);
        expect(r.config.ORCHESTRATOR_GIT_SSH_KEY).toBe("/srv/orch/keys/id_ed25519");
      }
    }
  });

  it("refuses what is not a git remote, naming the variable and why", () => {
    for (const [url, reason] of [
      ["work.git", "absolute path"],
      ["ext::sh -c evil", "spaces"],
      ["ftp://host/work.git", "ftp"],
    ] as const) {
      const r = parse({ ORCHESTRATOR_WORK_REMOTE: url });
      expect(r.ok, url).toBe(false);
      if (!r.ok) {
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]).toMatch(/^ORCHESTRATOR_WORK_REMOTE: /);
        expect(r.errors[0]).toContain(reason);
      }
    }
  });
});

// ORCHESTRATOR_SHARED_WORKSPACES (docs/workspaces.md, "Shared workspaces").
describe("shared workspaces setting", () => {
  it("is off by default (every session folder in the data dir) and resolved against the working folder when set", () => {
    const off = parse({ ORCHESTRATOR_DATA_DIR: "data" });
    expect(off.ok && folderLayoutOf(off.config)).toEqual({ dataDir: "/srv/orch/data", sharedWorkspaces: null });
    const on = parse({ ORCHESTRATOR_DATA_DIR: "data", ORCHESTRATOR_SHARED_WORKSPACES: "../shared" });
    expect(on.ok && folderLayoutOf(on.config)).toEqual({ dataDir: "/srv/orch/data", sharedWorkspaces: "/srv/shared" });
  });
});
