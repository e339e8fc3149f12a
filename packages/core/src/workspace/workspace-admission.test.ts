import { describe, expect, it } from "vitest";
import {
  computeWorkspaceAdmission,
  describeWorkspaceRefusal,
  isPathWithin,
  normalizeAbsolutePath,
  WORKSPACE_REFUSALS,
  type WorkspaceAdmissionInput,
} from "./workspace-admission";

const base = { roots: ["/srv/repo"], dataDir: "/var/lib/orch", kind: "directory" } as const;
const admit = (input: Partial<WorkspaceAdmissionInput> & { path: string }) =>
  computeWorkspaceAdmission({ ...base, ...input });
const refusal = (input: Partial<WorkspaceAdmissionInput> & { path: string }) => {
  const a = admit(input);
  return a.admitted ? null : a.refusal;
};

describe("normalizeAbsolutePath", () => {
  it.each([
    ["/", "/"],
    ["//", "/"],
    ["/srv/repo/", "/srv/repo"],
    ["/srv//repo///", "/srv/repo"],
    ["/srv/./repo/.", "/srv/repo"],
    ["/srv/repo/../other", "/srv/other"],
    ["/srv/repo/a/b/../../c", "/srv/repo/c"],
    ["/../../etc", "/etc"],
    ["/srv/..", "/"],
    ["/srv/...", "/srv/..."],
  ])("%s → %s", (input, output) => expect(normalizeAbsolutePath(input)).toBe(output));

  it.each(["", "srv/repo", "./srv", "../srv", "~/srv"])("%j is not absolute", (input) =>
    expect(normalizeAbsolutePath(input)).toBeNull(),
  );
});

describe("isPathWithin", () => {
  it.each([
    ["/srv/repo", "/srv/repo", true],
    ["/srv/repo/a", "/srv/repo", true],
    ["/srv/repo/a/b", "/srv/repo", true],
    ["/srv/repo2", "/srv/repo", false],
    ["/srv/rep", "/srv/repo", false],
    ["/srv", "/srv/repo", false],
    ["/anything", "/", true],
    ["/", "/", true],
  ])("%s within %s: %s", (path, root, within) => expect(isPathWithin(path, root)).toBe(within));
});

describe("computeWorkspaceAdmission", () => {
  it("admits a path inside a root, normalised, and names the root", () => {
    expect(admit({ path: "/srv/repo/app" })).toEqual({ admitted: true, path: "/srv/repo/app", root: "/srv/repo" });
    expect(admit({ path: "/srv/repo/a/../b/./" })).toEqual({ admitted: true, path: "/srv/repo/b", root: "/srv/repo" });
  });

  it("admits the root itself, with or without trailing slashes on either side", () => {
    for (const [path, root] of [
      ["/srv/repo", "/srv/repo"],
      ["/srv/repo/", "/srv/repo"],
      ["/srv/repo", "/srv/repo/"],
      ["/srv/repo//", "/srv/repo///"],
    ] as const)
      expect(admit({ path, roots: [root] })).toEqual({ admitted: true, path: "/srv/repo", root: "/srv/repo" });
  });

  it("refuses a sibling that shares the root's prefix", () => {
    expect(refusal({ path: "/srv/repo2" })).toBe("outside-roots");
    expect(refusal({ path: "/srv/repo-other/x" })).toBe("outside-roots");
    expect(refusal({ path: "/srv/rep" })).toBe("outside-roots");
  });

  it("refuses a path outside every root, including a parent of a root and a `..` escape", () => {
    expect(refusal({ path: "/etc" })).toBe("outside-roots");
    expect(refusal({ path: "/srv" })).toBe("outside-roots");
    expect(refusal({ path: "/" })).toBe("outside-roots");
    expect(refusal({ path: "/srv/repo/../../etc" })).toBe("outside-roots");
    expect(refusal({ path: "/srv/repo/.." })).toBe("outside-roots");
  });

  it("refuses everything when there are no roots", () => {
    expect(refusal({ path: "/srv/repo", roots: [] })).toBe("outside-roots");
  });

  it("checks every root and names the most specific that holds the path", () => {
    const roots = ["/home/a", "/srv", "/srv/repo"];
    expect(admit({ path: "/home/a/x", roots })).toMatchObject({ admitted: true, root: "/home/a" });
    expect(admit({ path: "/srv/repo/x", roots })).toMatchObject({ admitted: true, root: "/srv/repo" });
    expect(admit({ path: "/srv/other", roots })).toMatchObject({ admitted: true, root: "/srv" });
    expect(refusal({ path: "/home/b", roots })).toBe("outside-roots");
  });

  it("a root of / admits everything but the data dir", () => {
    expect(admit({ path: "/etc", roots: ["/"] })).toMatchObject({ admitted: true, root: "/" });
    expect(refusal({ path: "/var/lib/orch/worktrees/abc", roots: ["/"] })).toBe("inside-data-dir");
  });

  it("ignores a root that is not absolute instead of treating it as /", () => {
    expect(refusal({ path: "/srv/repo", roots: ["", "srv/repo"] })).toBe("outside-roots");
  });

  it("refuses a relative path", () => {
    expect(refusal({ path: "srv/repo" })).toBe("not-absolute");
    expect(refusal({ path: "" })).toBe("not-absolute");
  });

  describe("the data dir", () => {
    // The default: the server's folder is the root and holds ./.orchestrator.
    const inRoot = { roots: ["/srv/repo"], dataDir: "/srv/repo/.orchestrator" };

    it("refuses the data dir itself and everything below it, whatever the roots say", () => {
      for (const kind of ["directory", "repository"] as const) {
        expect(refusal({ ...inRoot, kind, path: "/srv/repo/.orchestrator" })).toBe("inside-data-dir");
        expect(refusal({ ...inRoot, kind, path: "/srv/repo/.orchestrator/" })).toBe("inside-data-dir");
        expect(refusal({ ...inRoot, kind, path: "/srv/repo/.orchestrator/worktrees" })).toBe("inside-data-dir");
        expect(refusal({ ...inRoot, kind, path: "/srv/repo/.orchestrator/worktrees/0a1b2c3d/src" })).toBe(
          "inside-data-dir",
        );
        expect(refusal({ ...inRoot, kind, path: "/srv/repo/.orchestrator/pglite" })).toBe("inside-data-dir");
        expect(refusal({ ...inRoot, kind, path: "/srv/repo/x/../.orchestrator/trees" })).toBe("inside-data-dir");
        expect(
          refusal({ ...inRoot, kind, roots: ["/srv/repo/.orchestrator"], path: "/srv/repo/.orchestrator/workspaces" }),
        ).toBe("inside-data-dir");
      }
    });

    it("is refused before the roots are consulted", () => {
      expect(refusal({ roots: [], dataDir: "/var/lib/orch", path: "/var/lib/orch/worktrees" })).toBe("inside-data-dir");
    });

    it("admits the data dir's siblings and prefix-sharing neighbours", () => {
      expect(admit({ ...inRoot, path: "/srv/repo/src" })).toMatchObject({ admitted: true });
      expect(admit({ ...inRoot, path: "/srv/repo/.orchestrator-notes" })).toMatchObject({ admitted: true });
      expect(admit({ ...inRoot, path: "/srv/repo/.orchestrator2/x" })).toMatchObject({ admitted: true });
    });

    it("refuses a directory that holds it (worked in place, it would be committed and cleaned), not a repository", () => {
      expect(refusal({ ...inRoot, kind: "directory", path: "/srv/repo" })).toBe("holds-data-dir");
      expect(refusal({ ...inRoot, kind: "directory", path: "/srv/repo/" })).toBe("holds-data-dir");
      expect(admit({ ...inRoot, kind: "repository", path: "/srv/repo" })).toEqual({
        admitted: true,
        path: "/srv/repo",
        root: "/srv/repo",
      });
    });

    it("a directory holding the data dir outside every root is refused as outside the roots", () => {
      expect(refusal({ ...inRoot, kind: "directory", path: "/" })).toBe("outside-roots");
      expect(refusal({ ...inRoot, kind: "directory", path: "/srv" })).toBe("outside-roots");
    });

    it("refuses everything when the data dir is not absolute", () => {
      expect(refusal({ dataDir: ".orchestrator", path: "/srv/repo/x" })).toBe("inside-data-dir");
    });
  });
});

describe("describeWorkspaceRefusal", () => {
  it("says something for every refusal, and lists the roots when they are the reason", () => {
    for (const r of WORKSPACE_REFUSALS) expect(describeWorkspaceRefusal(r, ["/srv/repo"]).length).toBeGreaterThan(10);
    expect(describeWorkspaceRefusal("outside-roots", ["/srv/repo", "/home/me"])).toContain(
      "allowed: /srv/repo, /home/me",
    );
  });
});
