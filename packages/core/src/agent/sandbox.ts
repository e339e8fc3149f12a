/**
 * Whether the agents' commands run in the sandbox (docs/sandbox.md), from
 * the operator's setting (ORCHESTRATOR_SANDBOX), whether the mechanism works
 * on this machine, and whether the installation is shared (authentication on):
 * - `on`: every command of a managed runner's agent enters the sandbox;
 * - `off`: they run as the orchestrator's user — said loudly, since any
 *   command can then read the data dir and every other session's files;
 * - `refused`: sessions on managed runners fail at once, not retried, with
 *   the reason — a shared installation never quietly runs them unsandboxed.
 */
export type SandboxSetting = "auto" | "required" | "off";

export type SandboxDecision =
  { state: "on" } | { state: "off"; warning: string } | { state: "refused"; reason: string };

export function decideSandbox(input: {
  setting: SandboxSetting;
  available: boolean;
  unavailableReason: string | null;
  authEnabled: boolean;
}): SandboxDecision {
  const why = input.unavailableReason ?? "the sandbox does not work on this machine";
  if (input.setting === "off")
    return {
      state: "off",
      warning:
        "ORCHESTRATOR_SANDBOX=off: agents' commands run unsandboxed, as the orchestrator's user, and can read its data dir and every session's files",
    };
  if (input.available) return { state: "on" };
  if (input.setting === "required") return { state: "refused", reason: `ORCHESTRATOR_SANDBOX=required and ${why}` };
  if (!input.authEnabled)
    return {
      state: "off",
      warning: `${why}; agents' commands run unsandboxed (single-user install: ORCHESTRATOR_AUTH=off). Install bubblewrap to sandbox them`,
    };
  return {
    state: "refused",
    reason: `${why}; with authentication on, sessions do not run unsandboxed (install bubblewrap, or set ORCHESTRATOR_SANDBOX=off to accept the risk)`,
  };
}
