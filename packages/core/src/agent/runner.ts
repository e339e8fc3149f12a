import type { Breaker } from "./breaker";

export const RUNNER_KINDS = ["managed", "remote"] as const;
export type RunnerKind = (typeof RUNNER_KINDS)[number];

export const RUNNER_HEALTH = ["healthy", "unhealthy", "starting", "standby", "stopped"] as const;
export type RunnerHealth = (typeof RUNNER_HEALTH)[number];

/**
 * An OpenCode server the orchestrator talks to. A managed runner is one
 * `opencode serve` process of one replica (a new row per process: a recycled
 * runner's replacement is a new runner); a remote runner is a URL.
 */
export interface Runner {
  id: string;
  tenantId: string;
  name: string;
  kind: RunnerKind;
  url: string | null;
  version: string | null;
  health: RunnerHealth;
  /** Takes no new attempts; a managed one stops once its last attempt ended (recycling). */
  draining: boolean;
  /** Replica that supervises a managed runner (null for remote ones). */
  ownerReplica: string | null;
  lastCheckedAt: string | null;
  memoryBytes: number | null;
  /** Failures that are the runner's fault (unreachable, session lost) open it. */
  breaker: Breaker;
  /** HTTP basic-auth password of a remote runner; never shown by the API. */
  password: string | null;
  createdAt: string;
  deletedAt: string | null;
}
