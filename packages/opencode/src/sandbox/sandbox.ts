import { execFile } from "node:child_process";
import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import { statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { promisify } from "node:util";
import { borrowedObjectStores, runGit } from "../workspace";
import { computeBwrapArgs, computeUlimits } from "./bwrap-args";
import type { SandboxPolicy, SandboxTarget } from "./policy";
import { policyFileName, policyFileText, sandboxShellText } from "./shell-script";

const run = promisify(execFile);

/** Whether bubblewrap works here, and why not when it does not. */
export type SandboxProbe = { available: true; bwrap: string } | { available: false; reason: string };

/**
 * Enters a throwaway sandbox the way sessions will (new PID namespace, its
 * own /proc): bwrap missing, or user namespaces refused (a container's
 * seccomp profile, `kernel.unprivileged_userns_clone=0`), shows here.
 */
export async function probeSandbox(bwrap = "bwrap"): Promise<SandboxProbe> {
  try {
    await run(
      bwrap,
      [
        "--ro-bind",
        "/",
        "/",
        "--unshare-pid",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--cap-drop",
        "ALL",
        "--",
        "/bin/true",
      ],
      { timeout: 10_000 },
    );
    const { stdout } = await run("/bin/sh", ["-c", `command -v ${bwrap}`]);
    return { available: true, bwrap: stdout.trim() || bwrap };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === "ENOENT")
      return { available: false, reason: `bubblewrap (${bwrap}) is not installed: apt-get install bubblewrap` };
    return {
      available: false,
      reason: `bubblewrap cannot create a sandbox here: ${(err.stderr || err.message).trim().split("\n")[0]}`,
    };
  }
}

/** A replica's sandbox: the shell its managed runners use, and the policy of each session folder. */
export interface Sandbox {
  /** The sandbox shell: the managed runners' SHELL. */
  readonly shell: string;
  /** Writes the policy of a session's folder; from then on its commands run inside (call before the agent's first step). */
  prepare(root: string, policy: SandboxPolicy): Promise<void>;
}

/**
 * Sets up the sandbox shell under `dir` (`<data dir>/opencode/sandbox`):
 * the script and a folder of policies only the replica writes. `hidden`: the
 * data dir, which no command may see (its sessions' folders are bound one by
 * one).
 */
export async function createSandbox(input: {
  dir: string;
  bwrap: string;
  hidden: readonly string[];
  shell?: string;
}): Promise<Sandbox> {
  const policies = join(input.dir, "policies");
  await mkdir(policies, { recursive: true, mode: 0o700 });
  const shell = join(input.dir, "sandbox-shell");
  await writeFile(
    shell,
    sandboxShellText({ policyDir: policies, bwrap: input.bwrap, shell: input.shell ?? "/bin/bash" }),
  );
  await chmod(shell, 0o755);
  const hidden = input.hidden.map((h) => resolve(h));
  return {
    shell,
    async prepare(root, policy) {
      const target: SandboxTarget = { root: resolve(root), gitDirs: await gitDirsOf(root) };
      const text = policyFileText({
        root: target.root,
        ulimits: computeUlimits(policy),
        bwrapArgs: computeBwrapArgs({ target, policy, hidden, kind }),
      });
      await writeFile(join(policies, policyFileName(target.root)), text, { mode: 0o600 });
    },
  };
}

function kind(path: string): "dir" | "file" | null {
  try {
    return statSync(path).isDirectory() ? "dir" : "file";
  } catch {
    return null;
  }
}

/**
 * The git directories a checkout outside its own folder needs (a session's
 * own clone: the object store it borrows; an older worktree: its own gitdir
 * and the shared repository), read-only: git inside reads the
 * history and status, and cannot change what the orchestrator's own git
 * reads; none when the repository lives inside the folder (scratch, a
 * person's directory), whose `.git` the arguments make read-only.
 */
async function gitDirsOf(root: string): Promise<SandboxTarget["gitDirs"]> {
  const out = await runGit(["rev-parse", "--git-dir", "--git-common-dir"], { cwd: root, allowExitCodes: [128] }).catch(
    () => null,
  );
  if (!out || out.exitCode !== 0) return [];
  const [gitDir, commonDir] = out.stdout
    .trim()
    .split("\n")
    .map((p) => (isAbsolute(p) ? p : resolve(root, p)));
  const inside = (p: string) => p === resolve(root) || p.startsWith(`${resolve(root)}/`);
  const dirs: { path: string; mode: "ro" | "rw" }[] = [];
  if (commonDir && !inside(commonDir) && (await stat(commonDir).catch(() => null)))
    dirs.push({ path: commonDir, mode: "ro" });
  // Read-only too: its `commondir` and `config.worktree` steer the orchestrator's own git.
  if (gitDir && !inside(gitDir) && gitDir !== commonDir) dirs.push({ path: gitDir, mode: "ro" });
  // A session's own clone reads its base's objects from the repository it was cut from: that object
  // store alone, read-only (not the repository's refs, so no sibling session's branch is named there).
  if (commonDir)
    for (const objects of await borrowedObjectStores(commonDir))
      if (!inside(objects)) dirs.push({ path: objects, mode: "ro" });
  return dirs;
}
