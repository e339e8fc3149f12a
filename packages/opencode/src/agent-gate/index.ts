export { startAgentGate, type AgentGateOptions, type AgentGateServer } from "./gate-server";
export { AGENT_GATE_PLUGIN_FILE, agentGatePluginSource, writeAgentGatePlugin } from "./gate-plugin";
