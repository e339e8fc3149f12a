import type { AgentSandbox } from "@industrial/core";

/** What a session's commands may do inside the sandbox: its agent's policy (core's AgentSandbox), applied per command. */
export type SandboxPolicy = Readonly<AgentSandbox>;

/** Where one session's commands run and which git metadata they need. */
export interface SandboxTarget {
  /** The session's folder: bound read-write, the commands' only writable host path. */
  root: string;
  /** Git directories the checkout needs outside its folder (a worktree: its own gitdir, the shared repository). */
  gitDirs: readonly { path: string; mode: "ro" | "rw" }[];
}

/**
 * The host's system paths a command sees read-only when they exist: the
 * programs and libraries, the toolchains under /usr and /opt, and /etc for
 * users, DNS, certificates and git's config — nothing of /root, /home, /srv,
 * /var, /run or /tmp, where people's and services' data lives.
 */
export const SYSTEM_PATHS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt"] as const;

/** Files under /etc no command needs and no command may read. */
export const HIDDEN_SYSTEM_FILES = [
  "/etc/shadow",
  "/etc/gshadow",
  "/etc/shadow-",
  "/etc/gshadow-",
  "/etc/ssh",
  "/etc/sudoers",
  "/etc/sudoers.d",
  "/etc/postgresql",
  "/etc/redis",
] as const;

/** HOME and TMPDIR inside the sandbox: private, empty, gone with the command. */
export const SANDBOX_HOME = "/tmp/home";
