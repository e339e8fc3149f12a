import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "./config";
import { parseWorkspaceRoots } from "./config-workspace-roots";

const cwd = mkdtempSync(join(tmpdir(), "orch-roots-config-"));
mkdirSync(join(cwd, "repos"));
writeFileSync(join(cwd, "file.txt"), "not a folder\n");
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe("ORCHESTRATOR_WORKSPACE_ROOTS", () => {
  it("defaults to the folder the server was started in, unset or empty", () => {
    expect(parseWorkspaceRoots(undefined, cwd)).toEqual({ roots: [cwd], errors: [] });
    expect(parseWorkspaceRoots("  ", cwd)).toEqual({ roots: [cwd], errors: [] });
  });

  it("takes absolute and cwd-relative folders, trimmed, without duplicates", () => {
    expect(parseWorkspaceRoots(` ${cwd}/repos , repos,., ${tmpdir()}`, cwd)).toEqual({
      roots: [join(cwd, "repos"), cwd, tmpdir()],
      errors: [],
    });
  });

  it("lists every root that is missing or not a folder, naming the variable", () => {
    const { errors } = parseWorkspaceRoots(`missing,${cwd}/file.txt,repos`, cwd);
    expect(errors).toEqual([
      `ORCHESTRATOR_WORKSPACE_ROOTS: ${join(cwd, "missing")} (missing) is not an existing directory`,
      `ORCHESTRATOR_WORKSPACE_ROOTS: ${join(cwd, "file.txt")} is not an existing directory`,
    ]);
  });

  it("refuses a list of nothing", () => {
    expect(parseWorkspaceRoots(",,", cwd).errors).toEqual([expect.stringContaining("name at least one folder")]);
  });

  it("reaches the config resolved, and its problems are listed with the others'", () => {
    const ok = parseConfig({ ORCHESTRATOR_WORKSPACE_ROOTS: "repos" }, cwd);
    expect(ok.ok && ok.config.ORCHESTRATOR_WORKSPACE_ROOTS).toEqual([join(cwd, "repos")]);
    const bad = parseConfig({ ORCHESTRATOR_WORKSPACE_ROOTS: "missing", PORT: "-1" }, cwd);
    expect(bad.ok ? [] : bad.errors).toEqual([
      expect.stringMatching(/^PORT:/),
      expect.stringMatching(/^ORCHESTRATOR_WORKSPACE_ROOTS:/),
    ]);
  });
});
