import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The plugin's file name in a runner pool's folder. */
export const AGENT_GATE_PLUGIN_FILE = "orchestrator-agent-gate.js";

/**
 * The OpenCode plugin a managed runner loads: before each model call
 * (`chat.params`) and each tool (`tool.execute.before`) it asks the
 * replica's agent gate about the OpenCode session, waits while the answer is
 * `wait`, and throws on `stop` — which fails the model call (the turn ends)
 * or the tool (it never runs). A gate that cannot be reached counts as
 * `stop` after a few tries: a runner whose replica is gone must not go on.
 */
export function agentGatePluginSource(gateUrl: string): string {
  return `// Written by Industrial Orchestrator for its managed OpenCode runners: see docs/faults.md ("The agent gate").
const GATE = ${JSON.stringify(gateUrl)};

async function mayAct(sessionID) {
  for (let unreachable = 0; ; ) {
    let verdict;
    try {
      const res = await fetch(GATE + "/sessions/" + encodeURIComponent(sessionID), { signal: AbortSignal.timeout(15000) });
      verdict = (await res.json()).verdict;
    } catch (e) {
      if (++unreachable >= 5) throw new Error("the orchestrator's agent gate does not answer (" + (e && e.message) + "): this runner's replica may be gone; stopping");
      await new Promise((r) => setTimeout(r, 200 * unreachable));
      continue;
    }
    unreachable = 0;
    if (verdict === "go") return;
    if (verdict !== "wait") throw new Error("the orchestrator stopped this session here (its attempt ended, or its lease went to another replica)");
  }
}

export const OrchestratorAgentGate = async () => ({
  "chat.params": async (input) => mayAct(input.sessionID),
  "tool.execute.before": async (input) => mayAct(input.sessionID),
});
`;
}

/** Writes the plugin into `dir`; returns the `file://` URL OpenCode's `plugin` config takes. */
export function writeAgentGatePlugin(dir: string, gateUrl: string): string {
  const file = join(dir, AGENT_GATE_PLUGIN_FILE);
  writeFileSync(file, agentGatePluginSource(gateUrl), { mode: 0o600 });
  return pathToFileURL(file).href;
}
