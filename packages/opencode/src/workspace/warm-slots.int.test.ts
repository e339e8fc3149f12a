import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGitRepo } from "@industrial/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  borrowedRef,
  listSessionFolders,
  prepareWorkspace,
  readSlotOwner,
  retireSessionFolder,
  runGit,
  type SessionFolder,
  type WarmSlots,
} from ".";

// Warm slots at the workspace level (real git): who gets a slot, what a hand-over leaves behind.
let root: string;
let repo: string;
const git = async (cwd: string, ...args: string[]) => (await runGit(args, { cwd })).stdout.trim();
const folders = () => ({
  worktreesDir: join(root, "worktrees"),
  scratchDir: join(root, "workspaces"),
  tenantId: "acme",
});

/** Slots whose owners let go when `free` says so; a released folder goes as retention removes one. */
function slotsOf(size: number, free: (owner: string) => boolean): WarmSlots & { asked: string[] } {
  const asked: string[] = [];
  return {
    size,
    asked,
    release: async (folder: SessionFolder) => {
      asked.push(folder.name);
      if (!free(folder.name)) return false;
      if (!existsSync(folder.path)) return true;
      return retireSessionFolder(folder, async (_local, moveAside) => {
        await moveAside();
        return true;
      });
    },
  };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "warm-slots-"));
  repo = join(root, "repo");
  await mkdir(repo);
  createGitRepo(repo, { "README.md": "base\n" });
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe("warm slots", () => {
  it("one slot, two sessions at once: one gets it, the other a folder of its own; each gets the same one again", async () => {
    const slots = slotsOf(1, () => false);
    const [a, b] = await Promise.all(
      ["aaaa0001", "bbbb0002"].map((short) =>
        prepareWorkspace({ sessionShortId: short, repository: repo, ...folders(), slots }),
      ),
    );
    const paths = [a!.path!, b!.path!];
    const inSlot = paths.filter((p) => p.includes(join("worktrees", "slots")));
    expect(inSlot).toHaveLength(1);
    const owner = await readSlotOwner(inSlot[0]!);
    expect(["aaaa0001", "bbbb0002"]).toContain(owner);
    const other = owner === "aaaa0001" ? "bbbb0002" : "aaaa0001";
    expect(paths).toContain(join(root, "worktrees", other));
    // The session that lost the race passed the slot over while it was being claimed, or asked its owner, who said no.
    expect([[], [owner]]).toContainEqual(slots.asked);
    // A retry or a re-attach: the same folders, as they are.
    await writeFile(join(inSlot[0]!, "work.txt"), "kept\n");
    const again = await prepareWorkspace({ sessionShortId: owner!, repository: repo, ...folders(), slots });
    expect(again.path).toBe(inSlot[0]);
    expect(await readFile(join(again.path!, "work.txt"), "utf8")).toBe("kept\n");
    expect((await prepareWorkspace({ sessionShortId: other, repository: repo, ...folders(), slots })).path).toBe(
      join(root, "worktrees", other),
    );
  });

  it("a hand-over leaves nothing of the last owner: a new clone at the same path, its refs, and its hold on the repository gone", async () => {
    const slots = slotsOf(1, () => true);
    const a = await prepareWorkspace({ sessionShortId: "aaaa0001", repository: repo, ...folders(), slots });
    await writeFile(join(a.path!, "a.txt"), "a\n");
    await mkdir(join(a.path!, "node_modules"));
    await writeFile(join(a.path!, ".git", "info", "exclude"), "node_modules/\n");
    await writeFile(join(a.path!, "node_modules", "x.js"), "x\n");
    await git(a.path!, "add", "a.txt");
    await git(a.path!, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a's work");
    expect(await git(repo, "for-each-ref", "--format=%(refname)", "refs/orchestrator/")).toBe(borrowedRef("aaaa0001"));

    const b = await prepareWorkspace({ sessionShortId: "bbbb0002", repository: repo, ...folders(), slots });
    expect(b.path).toBe(a.path);
    expect(await readSlotOwner(b.path!)).toBe("bbbb0002");
    expect((await readdir(b.path!)).sort()).toEqual([".git", "README.md"]);
    expect(await git(b.path!, "log", "--all", "--format=%s")).toBe(await git(repo, "log", "--format=%s"));
    expect(await git(b.path!, "for-each-ref", "--format=%(refname)")).toBe(
      ["refs/heads/orchestrator/bbbb0002", "refs/orchestrator/base/bbbb0002"].join("\n"),
    );
    expect(await git(repo, "for-each-ref", "--format=%(refname)", "refs/orchestrator/")).toBe(borrowedRef("bbbb0002"));
    // Nothing left beside the slot: the old folder was deleted once moved aside.
    expect((await readdir(join(b.path!, ".."))).sort()).toEqual(["0", "0.owner"]);
  });

  it("retention lists a slot under its owner's short id; a slot whose folder is gone is asked about, then taken", async () => {
    const free = new Set<string>();
    const slots = slotsOf(1, (owner) => free.has(owner));
    const a = await prepareWorkspace({ sessionShortId: "aaaa0001", repository: repo, ...folders(), slots });
    const listed = await listSessionFolders([join(root, "worktrees"), join(root, "workspaces")]);
    expect(listed.map((f: SessionFolder) => [f.name, f.path])).toEqual([["aaaa0001", a.path]]);

    await rm(a.path!, { recursive: true });
    expect((await prepareWorkspace({ sessionShortId: "cccc0003", repository: repo, ...folders(), slots })).path).toBe(
      join(root, "worktrees", "cccc0003"),
    );
    free.add("aaaa0001");
    const d = await prepareWorkspace({ sessionShortId: "dddd0004", repository: repo, ...folders(), slots });
    expect(d.path).toBe(a.path);
    expect(slots.asked).toEqual(["aaaa0001", "aaaa0001"]);
  });

  it("sessions one after another reuse the slot used before (its instance is warm) rather than an unused one", async () => {
    const slots = slotsOf(4, () => true);
    const first = await prepareWorkspace({ sessionShortId: "aaaa0001", repository: repo, ...folders(), slots });
    for (const short of ["bbbb0002", "cccc0003", "dddd0004"])
      expect((await prepareWorkspace({ sessionShortId: short, repository: repo, ...folders(), slots })).path).toBe(
        first.path,
      );
  });

  it("retention working from an older listing never removes the folder of the slot's new owner", async () => {
    const free = new Set<string>(["aaaa0001"]);
    const slots = slotsOf(1, (owner) => free.has(owner));
    const a = await prepareWorkspace({ sessionShortId: "aaaa0001", repository: repo, ...folders(), slots });
    const [listed] = await listSessionFolders([join(root, "worktrees")]);
    expect(listed!.name).toBe("aaaa0001");
    const b = await prepareWorkspace({ sessionShortId: "bbbb0002", repository: repo, ...folders(), slots });
    expect(b.path).toBe(a.path);
    // The round reaches the slot with its old listing: the owner check under the folder's lock refuses.
    expect(await retireSessionFolder(listed!, async (_local, moveAside) => (await moveAside(), true))).toBe(false);
    expect(await git(b.path!, "symbolic-ref", "--short", "HEAD")).toBe("orchestrator/bbbb0002");
  });

  it("a slot holding a folder no owner file names is passed over, and so is one whose release fails", async () => {
    const stray = join(root, "worktrees");
    const a = await prepareWorkspace({
      sessionShortId: "aaaa0001",
      repository: repo,
      ...folders(),
      slots: slotsOf(1, () => false),
    });
    await rm(`${a.path}.owner`);
    const b = await prepareWorkspace({
      sessionShortId: "bbbb0002",
      repository: repo,
      ...folders(),
      slots: slotsOf(1, () => true),
    });
    expect(b.path).toBe(join(stray, "bbbb0002"));
    await writeFile(`${a.path}.owner`, "aaaa0001\n");
    const failing = { size: 1, release: async () => Promise.reject(new Error("database down")) };
    const c = await prepareWorkspace({ sessionShortId: "cccc0003", repository: repo, ...folders(), slots: failing });
    expect(c.path).toBe(join(stray, "cccc0003"));
    expect(await readSlotOwner(a.path!)).toBe("aaaa0001");
  });

  it("slots are per repository and per tenant; no slots, or a self-contained layout, means a folder of its own", async () => {
    const other = join(root, "other");
    await mkdir(other);
    createGitRepo(other, { "OTHER.md": "x\n" });
    const slots = slotsOf(1, () => false);
    const a = await prepareWorkspace({ sessionShortId: "aaaa0001", repository: repo, ...folders(), slots });
    const b = await prepareWorkspace({ sessionShortId: "bbbb0002", repository: other, ...folders(), slots });
    const c = await prepareWorkspace({
      sessionShortId: "cccc0003",
      repository: repo,
      ...folders(),
      tenantId: "globex",
      slots,
    });
    expect(new Set([a.path, b.path, c.path]).size).toBe(3);
    for (const ws of [a, b, c]) expect(ws.path).toContain(join("worktrees", "slots"));
    const none = await prepareWorkspace({
      sessionShortId: "eeee0005",
      repository: repo,
      ...folders(),
      slots: { size: 0, release: async () => true },
    });
    expect(none.path).toBe(join(root, "worktrees", "eeee0005"));
    const shared = await prepareWorkspace({
      sessionShortId: "ffff0006",
      repository: other,
      ...folders(),
      selfContained: true,
      slots: slotsOf(4, () => true),
    });
    expect(shared.path).toBe(join(root, "worktrees", "ffff0006"));
  });
});
