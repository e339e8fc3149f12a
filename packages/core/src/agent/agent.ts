import type { AgentSandbox } from "./agent-sandbox";
import type { Breaker } from "./breaker";
import type { CostByModel } from "../session/model-usage";

export const AGENT_TYPES = [
  "architect",
  "implementer",
  "reviewer",
  "debugger",
  "integrator",
  "orchestrator",
  "analyst",
  "optimizer",
] as const;
export type AgentType = (typeof AGENT_TYPES)[number];

export const CAPABILITIES = [
  "requirements_analysis",
  "system_design",
  "architecture_planning",
  "task_decomposition",
  "code_generation",
  "test_generation",
  "testing",
  "documentation",
  "refactoring",
  "code_review",
  "security_audit",
  "performance_analysis",
  "compliance_check",
  "debugging",
  "bug_fixing",
  "troubleshooting",
  "root_cause_analysis",
  "optimization",
  "deployment",
  "configuration",
  "monitoring",
  "scaling",
  "workflow_orchestration",
  "resource_allocation",
  "conflict_resolution",
  "progress_tracking",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const AGENT_STATUSES = ["active", "draining", "offline"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const TIERS = ["ELITE", "STANDARD", "PROBATION"] as const;
export type Tier = (typeof TIERS)[number];

/** Default capability set of each agent type. */
export const DEFAULT_CAPABILITIES: Record<AgentType, readonly Capability[]> = {
  architect: ["requirements_analysis", "system_design", "architecture_planning", "task_decomposition", "documentation"],
  implementer: ["code_generation", "test_generation", "refactoring", "documentation", "bug_fixing", "configuration"],
  reviewer: ["code_review", "security_audit", "compliance_check", "performance_analysis", "testing"],
  debugger: ["debugging", "bug_fixing", "troubleshooting", "root_cause_analysis", "testing"],
  integrator: ["workflow_orchestration", "conflict_resolution", "deployment", "configuration", "testing"],
  orchestrator: ["workflow_orchestration", "task_decomposition", "resource_allocation", "progress_tracking"],
  analyst: ["requirements_analysis", "performance_analysis", "root_cause_analysis", "monitoring"],
  optimizer: ["optimization", "performance_analysis", "refactoring", "scaling"],
};

/** One OpenCode permission rule, passed as is to every OpenCode session the agent runs (the last matching rule wins). */
export interface PermissionRule {
  permission: string;
  pattern: string;
  action: PermissionAction;
}
export const PERMISSION_ACTIONS = ["allow", "ask", "deny"] as const;
export type PermissionAction = (typeof PERMISSION_ACTIONS)[number];

export interface AgentStats {
  finished: number;
  succeeded: number;
  failed: number;
  successRate: number;
  avgDurationSeconds: number;
  avgTokens: number;
  avgCostUsd: number;
  perCapability: Record<string, { finished: number; succeeded: number }>;
}

export interface Agent {
  id: string;
  tenantId: string;
  name: string;
  type: AgentType;
  capabilities: Capability[];
  model: string | null;
  openCodeAgent: string;
  systemPrompt: string | null;
  /** A multiple of TEMPERATURE_STEP, only with openCodeAgent `build` (see temperatureProblem). */
  temperature: number | null;
  permissions: PermissionRule[];
  maxConcurrent: number;
  /** A remote runner; null: a managed runner of the replica that runs the session. */
  runnerId: string | null;
  /** What each command of its sessions may reach (agent-sandbox.ts); the runner's sandbox enforces it. */
  sandbox: AgentSandbox;
  /** OpenCode's question tool asks a person (an input request) instead of being denied (docs/input-requests.md §3). */
  allowQuestions: boolean;
  /** How long an input request waits for an answer before it is rejected with a message; 0: forever. */
  inputTimeoutSeconds: number;
  /** provider/model refs tried in order after the first model keeps failing (docs/input-requests.md §3, Model fallback). */
  fallbackModels: string[];
  status: AgentStatus;
  maintenance: boolean;
  maintenanceReason: string | null;
  lastHeartbeatAt: string | null;
  stats: AgentStats;
  /** Per model: mean cost of its attempts there and when one last left it for a fallback (routing's cost score; model-cost.ts). */
  costByModel: CostByModel;
  tier: Tier;
  breaker: Breaker;
  createdAt: string;
  updatedAt: string;
}

/** An input request waits this long for a person by default (issue 14: 15 minutes). */
export const DEFAULT_INPUT_TIMEOUT_SECONDS = 900;
/** The longest input timeout an agent may set (a week); 0 (forever) is allowed besides. */
export const MAX_INPUT_TIMEOUT_SECONDS = 604_800;
/** At most this many fallback models per agent: each one is a full retry of a failing turn. */
export const MAX_FALLBACK_MODELS = 5;

export function emptyAgentStats(): AgentStats {
  return {
    finished: 0,
    succeeded: 0,
    failed: 0,
    successRate: 0,
    avgDurationSeconds: 0,
    avgTokens: 0,
    avgCostUsd: 0,
    perCapability: {},
  };
}

/** Does this agent have every capability the session needs? */
export function hasCapabilities(agent: Pick<Agent, "capabilities">, required: readonly string[]): boolean {
  return required.every((c) => (agent.capabilities as string[]).includes(c));
}

/**
 * OpenCode takes no temperature per request, only per OpenCode agent. The
 * runners' config defines a copy of `build` at every step of 0.05 from 0 to 2
 * (see the opencode package's temperature agents), and a session of an agent
 * with a temperature runs on the copy with that temperature.
 */
export const TEMPERATURE_STEP = 0.05;
export const TEMPERATURE_BASE_AGENT = "build";

/** Why an agent cannot have this temperature with this OpenCode agent, or null when it can. */
export function temperatureProblem(temperature: number | null, openCodeAgent: string): string | null {
  if (temperature === null) return null;
  const steps = temperature / TEMPERATURE_STEP;
  if (Math.abs(steps - Math.round(steps)) > 1e-9) return `must be a multiple of ${TEMPERATURE_STEP}`;
  if (openCodeAgent !== TEMPERATURE_BASE_AGENT)
    return `only agents on OpenCode's ${TEMPERATURE_BASE_AGENT} agent can set a temperature (OpenCode sets temperature per OpenCode agent, and the runners define copies of ${TEMPERATURE_BASE_AGENT} only); leave it null for ${openCodeAgent}`;
  return null;
}
