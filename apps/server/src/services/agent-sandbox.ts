import {
  canSetSandboxMounts,
  checkSandboxMounts,
  ForbiddenError,
  InvalidInputError,
  isMountChangeRestricted,
  mergeAgentSandbox,
  SANDBOX_MOUNTS_ROLE,
  type AgentSandbox,
  type Principal,
  type SandboxMountProblem,
} from "@industrial/core";
import type { AgentSandboxChange } from "@industrial/contracts";
import { resolveThroughLinks } from "./workspace-admission";

const MOUNTS_FIELD = "body.sandbox.mounts";

/**
 * The policy an agent gets from a request's `sandbox` change over `base`
 * (the defaults for a new agent, its current policy for a PATCH), or a
 * refusal naming the field:
 * - 403 when the caller may not set these mounts (asked first, so a lead
 *   learns nothing of which paths the server would refuse);
 * - 400 for a mount inside or holding the orchestrator's data dir, as
 *   written or with its links resolved (a link into the data dir exposes it
 *   just the same). The sandbox binds the path when a command starts, so it
 *   checks again then; this check is what the caller hears about.
 * Each path's own rules (absolute, normalised, not `/`) were checked by the
 * body's schema.
 */
export async function admitAgentSandbox(
  deps: { caller: Pick<Principal, "role">; dataDir: string },
  base: Readonly<AgentSandbox>,
  change: AgentSandboxChange | undefined,
): Promise<AgentSandbox> {
  const sandbox = mergeAgentSandbox(base, change as Partial<AgentSandbox> | undefined);
  if (isMountChangeRestricted(base.mounts, change?.mounts) && !canSetSandboxMounts(deps.caller))
    throw new ForbiddenError(
      `${MOUNTS_FIELD} needs the ${SANDBOX_MOUNTS_ROLE} role (mounts hand host paths to the agent's commands); this key is ${deps.caller.role}`,
      {
        details: [{ path: MOUNTS_FIELD, reason: `only an ${SANDBOX_MOUNTS_ROLE} sets mounts` }],
        suggestion: "leave sandbox.mounts out, or ask an admin to set them",
      },
    );
  if (change?.mounts?.length) await refuseForbiddenMounts(sandbox, deps.dataDir);
  return sandbox;
}

async function refuseForbiddenMounts(sandbox: AgentSandbox, dataDir: string): Promise<void> {
  const forbidden = [...new Set([dataDir, await resolveThroughLinks(dataDir)])];
  const problems: SandboxMountProblem[] = checkSandboxMounts(sandbox.mounts, { forbidden });
  for (const [index, m] of sandbox.mounts.entries()) {
    if (problems.some((p) => p.index === index)) continue;
    const real = await resolveThroughLinks(m.path);
    if (real === m.path) continue;
    const [p] = checkSandboxMounts([{ path: real, mode: m.mode }], { forbidden });
    if (p) problems.push({ ...p, index, path: m.path, reason: `resolves to ${real}, and ${real} ${p.reason}` });
  }
  if (problems.length === 0) return;
  problems.sort((a, b) => a.index - b.index);
  const details = problems.map((p) => ({ path: `${MOUNTS_FIELD}.${p.index}.path`, reason: `${p.path} ${p.reason}` }));
  throw new InvalidInputError(`sandbox mount ${details.map((d) => d.reason).join("; ")}`, details);
}
