import { isRoleAtLeast, type Role } from "../access/access";
import { isPathWithin, normalizeAbsolutePath } from "../workspace/workspace-admission";

/**
 * An agent's sandbox policy: what each command its OpenCode session runs may
 * reach (the network, memory, processes, CPU time, host paths). The runner's
 * sandbox reads it and enforces it; this module holds the policy's data, its
 * defaults and the pure rules a policy must follow, checked where a policy
 * enters (the API) so the sandbox never meets a policy it cannot apply.
 */

/** `full`: the host's network; `none`: a fresh network namespace, no network at all. */
export const SANDBOX_NETWORKS = ["full", "none"] as const;
export type SandboxNetwork = (typeof SANDBOX_NETWORKS)[number];

export const SANDBOX_MOUNT_MODES = ["ro", "rw"] as const;
export type SandboxMountMode = (typeof SANDBOX_MOUNT_MODES)[number];

/** A host path made visible inside the sandbox at the same path, read-only or writable. */
export interface SandboxMount {
  /** Absolute and normalised (no `.`, `..`, `//` or trailing `/`), never `/`. */
  path: string;
  mode: SandboxMountMode;
}

export interface AgentSandbox {
  network: SandboxNetwork;
  /** Address-space limit of each command in MiB (RLIMIT_AS); null: none. */
  memoryMb: number | null;
  /** Bound on the processes of the sandbox (RLIMIT_NPROC-like); null: none. */
  maxProcesses: number | null;
  /** CPU time of each command in seconds (RLIMIT_CPU); null: none. */
  cpuSeconds: number | null;
  /** Extra host paths visible inside, in order; at most SANDBOX_LIMITS.mounts. */
  mounts: SandboxMount[];
}

/** The inclusive ranges of the numeric limits, and the most mounts a policy holds. */
export const SANDBOX_LIMITS = {
  memoryMb: { min: 256, max: 1_048_576 },
  maxProcesses: { min: 16, max: 100_000 },
  cpuSeconds: { min: 1, max: 86_400 },
  mounts: 16,
  /** PATH_MAX: a longer path cannot be opened anyway. */
  mountPathLength: 4096,
} as const;

/**
 * A new agent's policy, and every agent's after migration 0013 (whose column
 * default is this JSON; the agent-sandbox integration test compares them).
 * Ordinary coding work must run under it: package installs need the network,
 * compilers and test runners reserve far more address space than they use (so
 * no memory limit), and long test suites need CPU time; the process bound only
 * stops a fork bomb, well above what `npm test` or `make -j` start.
 */
export const DEFAULT_AGENT_SANDBOX: Readonly<AgentSandbox> = Object.freeze({
  network: "full",
  memoryMb: null,
  maxProcesses: 4096,
  cpuSeconds: null,
  mounts: Object.freeze([]) as unknown as SandboxMount[],
});

/**
 * `base` with the fields `change` gives replaced (`null` lifts a limit;
 * `mounts` replaces the whole list). A new agent's base is
 * DEFAULT_AGENT_SANDBOX, a PATCH's the agent's current policy. The result
 * shares no array with either argument.
 */
export function mergeAgentSandbox(
  base: Readonly<AgentSandbox>,
  change: Partial<AgentSandbox> | undefined,
): AgentSandbox {
  const pick = <K extends keyof AgentSandbox>(k: K): AgentSandbox[K] =>
    change?.[k] === undefined ? base[k] : (change[k] as AgentSandbox[K]);
  return {
    network: pick("network"),
    memoryMb: pick("memoryMb"),
    maxProcesses: pick("maxProcesses"),
    cpuSeconds: pick("cpuSeconds"),
    mounts: pick("mounts").map((m) => ({ path: m.path, mode: m.mode })),
  };
}

/** Same paths with the same modes in the same order. */
export function isSameMountList(a: readonly SandboxMount[], b: readonly SandboxMount[]): boolean {
  return a.length === b.length && a.every((m, i) => m.path === b[i]?.path && m.mode === b[i]?.mode);
}

/** Mounts hand host paths to the agent's commands: only an admin chooses them. */
export const SANDBOX_MOUNTS_ROLE: Role = "admin";

export function canSetSandboxMounts(p: { role: Role }): boolean {
  return isRoleAtLeast(p.role, SANDBOX_MOUNTS_ROLE);
}

/**
 * Whether a request that sends `requested` mounts for an agent that has
 * `current` ones needs SANDBOX_MOUNTS_ROLE. Not when it sends none, an empty
 * list (taking host paths away gives the agent less) or the list the agent
 * already has (a form that sends the whole policy back changes nothing).
 */
export function isMountChangeRestricted(
  current: readonly SandboxMount[],
  requested: readonly SandboxMount[] | undefined,
): boolean {
  return requested !== undefined && requested.length > 0 && !isSameMountList(current, requested);
}

export const SANDBOX_MOUNT_REFUSALS = [
  "not-absolute",
  "control-character",
  "parent-segment",
  "not-normalised",
  "root",
  "inside-forbidden",
  "holds-forbidden",
  "duplicate",
] as const;
export type SandboxMountRefusal = (typeof SANDBOX_MOUNT_REFUSALS)[number];

export interface SandboxMountProblem {
  /** The entry's index in the list. */
  index: number;
  path: string;
  refusal: SandboxMountRefusal;
  /** A sentence to follow the path (`/srv/x/ is not normalised: write /srv/x`). */
  reason: string;
}

// Control characters cannot be typed in a path honestly, and a newline would break the one-per-line forms.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why `path` cannot be a mount's path whatever the server's configuration, or
 * null. Paths are compared as strings everywhere (the forbidden prefixes, the
 * sandbox's bind), so only the normal form is accepted rather than normalised
 * silently: what is stored is what was typed.
 */
export function mountPathProblem(path: string): { refusal: SandboxMountRefusal; reason: string } | null {
  if (!path.startsWith("/"))
    return { refusal: "not-absolute", reason: "is not an absolute path (it must start with /)" };
  if (CONTROL.test(path)) return { refusal: "control-character", reason: "contains a control character" };
  if (path.split("/").includes(".."))
    return { refusal: "parent-segment", reason: "contains a `..` segment: name the folder itself" };
  const normal = normalizeAbsolutePath(path);
  if (normal !== path) return { refusal: "not-normalised", reason: `is not normalised: write ${normal}` };
  if (path === "/") return { refusal: "root", reason: "is the whole file system: mount the folders the agent needs" };
  return null;
}

/**
 * Every problem of a mount list, in list order: each path's own
 * (mountPathProblem), a path inside or holding one of `forbidden` (absolute,
 * normalised: the orchestrator's data dir, which holds its database, secret
 * and every session's worktree — holding it would expose it just the same),
 * and a path listed twice. An empty answer admits the list. Paths are
 * compared as given: the caller also checks them with links resolved.
 */
export function checkSandboxMounts(
  mounts: readonly SandboxMount[],
  options: { forbidden: readonly string[] },
): SandboxMountProblem[] {
  const problems: SandboxMountProblem[] = [];
  const first = new Map<string, number>();
  mounts.forEach(({ path }, index) => {
    const problem =
      mountPathProblem(path) ?? forbiddenProblem(path, options.forbidden) ?? duplicateProblem(path, first.get(path));
    if (problem) problems.push({ index, path, ...problem });
    if (!first.has(path)) first.set(path, index);
  });
  return problems;
}

function forbiddenProblem(
  path: string,
  forbidden: readonly string[],
): { refusal: SandboxMountRefusal; reason: string } | null {
  for (const given of forbidden) {
    const f = normalizeAbsolutePath(given) ?? given;
    if (isPathWithin(path, f))
      return { refusal: "inside-forbidden", reason: `is inside ${f}, which no agent may mount` };
    if (isPathWithin(f, path))
      return { refusal: "holds-forbidden", reason: `holds ${f}, which no agent may mount: mount a folder beside it` };
  }
  return null;
}

function duplicateProblem(
  path: string,
  firstIndex: number | undefined,
): { refusal: SandboxMountRefusal; reason: string } | null {
  return firstIndex === undefined ? null : { refusal: "duplicate", reason: `is already mounts entry ${firstIndex}` };
}
