import type { ComponentHealthView } from "@industrial/contracts";
import { decideSandbox } from "@industrial/core";
import { createSandbox, probeSandbox, type RunnerLease } from "@industrial/opencode";
import type { Logger } from "pino";
import type { Config } from "../config";

/** The sandbox's line in readiness: `up` sandboxed, `degraded` unsandboxed (off), `down` sessions refused. */
export type SandboxHealth = ComponentHealthView;

/**
 * Decides, at start, whether this replica's managed runners sandbox their
 * agents' commands (core's decideSandbox from ORCHESTRATOR_SANDBOX, a probe
 * of bubblewrap, and whether authentication is on), says so in the log at
 * every start, and sets up the sandbox shell when it is on.
 */
export async function setUpSandbox(
  config: Config,
  dir: string,
  log: Logger,
): Promise<{ shell: string | null; lease: RunnerLease["sandbox"] | null; health: SandboxHealth }> {
  const setting = config.ORCHESTRATOR_SANDBOX;
  const probe = setting === "off" ? null : await probeSandbox(config.ORCHESTRATOR_SANDBOX_BWRAP);
  const decision = decideSandbox({
    setting,
    available: probe?.available ?? false,
    unavailableReason: probe && !probe.available ? probe.reason : null,
    authEnabled: config.ORCHESTRATOR_AUTH === "on",
  });
  if (decision.state === "on" && probe?.available) {
    // The shared workspaces too: other sessions' and other tenants' folders (docs/workspaces.md).
    const hidden = [
      config.ORCHESTRATOR_DATA_DIR,
      ...(config.ORCHESTRATOR_SHARED_WORKSPACES ? [config.ORCHESTRATOR_SHARED_WORKSPACES] : []),
    ];
    const sandbox = await createSandbox({ dir, bwrap: probe.bwrap, hidden });
    log.info(
      { bwrap: probe.bwrap },
      "agents' commands run sandboxed (bubblewrap): each sees its own session's folder and nothing else of the data dir",
    );
    return {
      shell: sandbox.shell,
      lease: { kind: "on", prepare: sandbox.prepare },
      health: {
        status: "up",
        latencyMs: null,
        detail: `bubblewrap (${probe.bwrap}): each session's commands see its own folder only`,
      },
    };
  }
  if (decision.state === "off") {
    log.warn(decision.warning);
    return {
      shell: null,
      lease: null,
      health: { status: "degraded", latencyMs: null, detail: `unsandboxed: ${decision.warning}` },
    };
  }
  const reason = decision.state === "refused" ? decision.reason : "the sandbox could not be set up";
  log.error(`sessions on this replica's managed runners are refused: ${reason}`);
  return {
    shell: null,
    lease: { kind: "refused", reason },
    health: { status: "down", latencyMs: null, detail: `sessions refused: ${reason}` },
  };
}
