import type { AgentSandboxChange } from "@industrial/contracts";
import { parseMountSpec, SANDBOX_LIMITS, SANDBOX_NETWORKS, type SandboxMount } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import { collect, enumOption, intOption } from "./options";

/**
 * The sandbox flags of `agents add` and `agents update`, parsed at the edge
 * (options.ts): `--network full|none`, `--memory-mb N|none`,
 * `--max-processes N|none`, `--cpu-seconds N|none` (`none`: no limit), and
 * `--mount <path>[:ro|:rw]` (repeatable; read-only unless `:rw`). Only the
 * flags given are sent: the server merges them over the defaults or the
 * agent's current policy. The path rules and the data dir are the API's
 * (its 400 names `body.sandbox.mounts.<i>.path`).
 */

/** `none` → null (no limit); otherwise a whole number in the range. */
export function limitOption(range: { min: number; max: number }) {
  const number = intOption(range.min, range.max);
  return z.string().transform((raw, ctx) => {
    if (raw.trim() === "none") return null;
    const r = number.safeParse(raw.trim());
    if (r.success) return r.data;
    ctx.addIssue({
      code: "custom",
      message: `must be none (no limit) or a whole number from ${range.min} to ${range.max}`,
    });
    return z.NEVER;
  });
}

/** `--mount` values (repeatable) → mounts, in the order given. */
export const MountFlags = z.array(
  z.string().transform((raw, ctx): SandboxMount => {
    const r = parseMountSpec(raw);
    if (r.ok) return r.mount;
    ctx.addIssue({ code: "custom", message: r.reason });
    return z.NEVER;
  }),
);

export const SandboxOptionFields = {
  network: enumOption(SANDBOX_NETWORKS).optional(),
  memoryMb: limitOption(SANDBOX_LIMITS.memoryMb).optional(),
  maxProcesses: limitOption(SANDBOX_LIMITS.maxProcesses).optional(),
  cpuSeconds: limitOption(SANDBOX_LIMITS.cpuSeconds).optional(),
  mount: MountFlags.optional(),
};

type SandboxOptions = z.output<z.ZodObject<typeof SandboxOptionFields>>;

/** The flags given as the body's `sandbox` change; undefined when none was given. `clearMounts`: `--no-mounts`. */
export function toSandboxChange(o: SandboxOptions, clearMounts = false): AgentSandboxChange | undefined {
  const change: AgentSandboxChange = {
    ...(o.network !== undefined ? { network: o.network } : {}),
    ...(o.memoryMb !== undefined ? { memoryMb: o.memoryMb } : {}),
    ...(o.maxProcesses !== undefined ? { maxProcesses: o.maxProcesses } : {}),
    ...(o.cpuSeconds !== undefined ? { cpuSeconds: o.cpuSeconds } : {}),
    ...(o.mount !== undefined ? { mounts: o.mount } : clearMounts ? { mounts: [] } : {}),
  };
  return Object.keys(change).length ? change : undefined;
}

/** Declares the sandbox flags on a command (`add` and `update` word them alike). */
export function sandboxFlags(cmd: Command, defaults: boolean): Command {
  const dflt = (text: string) => (defaults ? ` (default ${text})` : "");
  return cmd
    .option("--network <full|none>", `the network its commands see: full, or none (no network at all)${dflt("full")}`)
    .option(
      "--memory-mb <n|none>",
      `address-space limit of each command in MiB, ${SANDBOX_LIMITS.memoryMb.min}–${SANDBOX_LIMITS.memoryMb.max}, or none${dflt("none")}`,
    )
    .option(
      "--max-processes <n|none>",
      `processes its commands may run at once, ${SANDBOX_LIMITS.maxProcesses.min}–${SANDBOX_LIMITS.maxProcesses.max}, or none${dflt("4096")}`,
    )
    .option(
      "--cpu-seconds <n|none>",
      `CPU time of each command in seconds, ${SANDBOX_LIMITS.cpuSeconds.min}–${SANDBOX_LIMITS.cpuSeconds.max}, or none${dflt("none")}`,
    )
    .option(
      "--mount <path[:ro|:rw]>",
      "a host path visible inside (read-only unless :rw); repeat for several, at most 16; admin only",
      collect,
    );
}
