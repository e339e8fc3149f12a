export const RUNNER_KINDS = ["managed", "remote"] as const;
export type RunnerKind = (typeof RUNNER_KINDS)[number];

export const RUNNER_HEALTH = ["healthy", "unhealthy", "starting", "standby", "stopped"] as const;
export type RunnerHealth = (typeof RUNNER_HEALTH)[number];

/** An OpenCode server the orchestrator talks to. */
export interface Runner {
  id: string;
  tenantId: string;
  name: string;
  kind: RunnerKind;
  url: string | null;
  version: string | null;
  health: RunnerHealth;
  /** Replica that supervises a managed runner (null for remote ones). */
  ownerReplica: string | null;
  lastCheckedAt: string | null;
  memoryBytes: number | null;
  createdAt: string;
}
