import { z } from "zod";
import { checkSandboxMounts, SANDBOX_LIMITS, SANDBOX_MOUNT_MODES, SANDBOX_NETWORKS } from "@industrial/core";

/**
 * An agent's sandbox policy on the wire (core's agent-sandbox.ts). Requests
 * send a change (any of the fields); the server merges it over the defaults
 * or the agent's current policy, and checks the mounts against the
 * orchestrator's own state and the caller's role, which only it knows.
 */

/** A whole-number limit in its range, or null for none; the message says both. */
function limit(range: { min: number; max: number }, unit: string) {
  const says = `must be a whole number of ${unit} from ${range.min} to ${range.max}, or null for no limit`;
  return z
    .number({ error: says })
    .int({ error: says })
    .min(range.min, { error: says })
    .max(range.max, { error: says })
    .nullable();
}

const MountPath = z
  .string()
  .min(1, { error: "must be an absolute path" })
  .max(SANDBOX_LIMITS.mountPathLength, { error: `must be at most ${SANDBOX_LIMITS.mountPathLength} characters` });

export const SandboxMountSchema = z.strictObject({
  /** Absolute, normalised, not `/`, clear of the orchestrator's data dir; the same path inside. */
  path: MountPath,
  mode: z.enum(SANDBOX_MOUNT_MODES, { error: `must be one of ${SANDBOX_MOUNT_MODES.join(", ")}` }),
});

const SandboxFields = {
  network: z.enum(SANDBOX_NETWORKS, { error: `must be one of ${SANDBOX_NETWORKS.join(", ")}` }),
  memoryMb: limit(SANDBOX_LIMITS.memoryMb, "MiB"),
  maxProcesses: limit(SANDBOX_LIMITS.maxProcesses, "processes"),
  cpuSeconds: limit(SANDBOX_LIMITS.cpuSeconds, "seconds"),
  /**
   * Replaces the whole list. Each path's own rules are checked here (named
   * `mounts.<i>.path`); the data dir and the role by the server.
   */
  mounts: z
    .array(SandboxMountSchema)
    .max(SANDBOX_LIMITS.mounts, { error: `at most ${SANDBOX_LIMITS.mounts} mounts` })
    .superRefine((mounts, ctx) => {
      for (const p of checkSandboxMounts(mounts, { forbidden: [] }))
        ctx.addIssue({ code: "custom", path: [p.index, "path"], message: `${p.path} ${p.reason}` });
    }),
};

/** A change of the policy: the fields given replace the base's; `null` lifts a limit. Unknown fields are refused by name. */
export const AgentSandboxChange = z
  .strictObject(SandboxFields)
  .partial()
  .describe(
    "Merged over the defaults (create) or the agent's current policy (PATCH); mounts replace the whole list and need the admin role",
  );
export type AgentSandboxChange = z.input<typeof AgentSandboxChange>;

/** The policy as the API shows it: every field, limits null when there are none (the descriptions reach the OpenAPI document). */
export const AgentSandboxSchema = z.object({
  network: z
    .enum(SANDBOX_NETWORKS)
    .describe("full: the host's network; none: a fresh network namespace, no network at all"),
  memoryMb: z.number().int().nullable().describe("Address-space limit of each command in MiB (RLIMIT_AS); null: none"),
  maxProcesses: z
    .number()
    .int()
    .nullable()
    .describe("Bound on the sandbox's processes (RLIMIT_NPROC-like); null: none"),
  cpuSeconds: z.number().int().nullable().describe("CPU time of each command in seconds (RLIMIT_CPU); null: none"),
  mounts: z
    .array(z.object({ path: z.string(), mode: z.enum(SANDBOX_MOUNT_MODES) }))
    .describe("Host paths visible inside at the same path, read-only (ro) or writable (rw)"),
});
export type AgentSandboxView = z.infer<typeof AgentSandboxSchema>;
