import { HIDDEN_SYSTEM_FILES, SANDBOX_HOME, SYSTEM_PATHS, type SandboxPolicy, type SandboxTarget } from "./policy";

/**
 * bubblewrap's arguments for one session's commands (everything before
 * `--chdir` and the command, which the wrapper shell adds). Order matters:
 * bwrap applies mounts in order, so the empty /tmp comes before the session's
 * folder, which may live under it, and the hidden folders come before the
 * session's folder, which lives under the data dir.
 */
export function computeBwrapArgs(input: {
  target: SandboxTarget;
  policy: SandboxPolicy;
  /** Host folders no command may see even where a system path holds them (the orchestrator's data dir). */
  hidden: readonly string[];
  /** What a host path is: bwrap fails on a missing one, and hides a file and a folder differently. */
  kind: (path: string) => "dir" | "file" | null;
}): string[] {
  const { target, policy, kind } = input;
  const args = [
    "--die-with-parent",
    // A new session: the command cannot push keystrokes into a terminal outside (TIOCSTI).
    "--new-session",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(policy.network === "none" ? ["--unshare-net"] : []),
    "--cap-drop",
    "ALL",
    "--hostname",
    "sandbox",
  ];
  for (const p of SYSTEM_PATHS) if (kind(p)) args.push("--ro-bind", p, p);
  for (const p of [...HIDDEN_SYSTEM_FILES, ...input.hidden]) {
    const k = kind(p);
    if (k === "dir") args.push("--tmpfs", p);
    else if (k === "file") args.push("--ro-bind", "/dev/null", p);
  }
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--dir", SANDBOX_HOME);
  // -try: a mount missing on this replica is left out. A plain bind would fail every command of the
  // agent with bwrap's "Can't find source path", and leaving it out only ever shows a command less.
  for (const m of policy.mounts) args.push(m.mode === "rw" ? "--bind-try" : "--ro-bind-try", m.path, m.path);
  for (const g of target.gitDirs) args.push(g.mode === "rw" ? "--bind" : "--ro-bind", g.path, g.path);
  // Last but one: nothing mounted after it may cover the session's folder…
  args.push("--bind", target.root, target.root);
  // …but its `.git` (a worktree's pointer file, or a repository's folder), read-only: the
  // orchestrator runs git there outside the sandbox (checkpoints, diffs), and a config or a
  // pointer the agent could write would make that git run the agent's programs (a filter).
  args.push("--ro-bind-try", `${target.root}/.git`, `${target.root}/.git`);
  args.push("--setenv", "HOME", SANDBOX_HOME, "--setenv", "TMPDIR", "/tmp");
  return args;
}

/** `ulimit` flags for the policy's limits (bash's units: KiB for -v). */
export function computeUlimits(policy: SandboxPolicy): string[] {
  const out: string[] = [];
  if (policy.memoryMb !== null) out.push(`-v ${policy.memoryMb * 1024}`);
  if (policy.maxProcesses !== null) out.push(`-u ${policy.maxProcesses}`);
  if (policy.cpuSeconds !== null) out.push(`-t ${policy.cpuSeconds}`);
  return out;
}
