/**
 * Adoption of a session whose replica died, and the restarts that follow
 * when its OpenCode session died with it (docs/work-remote.md, "Any replica
 * serves any session"). Pure: the driver asks the runner, reads the
 * database, and lets these rules decide.
 */
import type { SessionError } from "./session";

/**
 * Error code of an attempt lost to the infrastructure: its replica or its
 * runner died, or it was handed back at shutdown, and the OpenCode session
 * could not be reached by whoever adopted it. Such an attempt is not the
 * session's fault: it does not count against `maxAttempts` (it has its own
 * bound, `MAX_INFRA_RESTARTS`), nor against the agent or the runner.
 */
export const INFRASTRUCTURE_LOST = "INFRASTRUCTURE_LOST";

/**
 * Restarts after infrastructure losses a session gets in its life. A session
 * whose own work kills its runner (or its replica) every time would otherwise
 * be restarted forever, each restart free of `maxAttempts`.
 */
export const MAX_INFRA_RESTARTS = 10;

export interface AdoptionInput {
  /** The dead holder recorded an OpenCode session (it is recorded before the first prompt). */
  openCodeSessionRecorded: boolean;
  /**
   * That OpenCode session answered on the runner the adopter reached, and its
   * directory is reachable from the adopter: a remote runner that outlived the
   * replica, or this data dir's own managed runners after a restart.
   */
  openCodeSessionAlive: boolean;
  /** Earlier attempts of the session lost to the infrastructure and restarted. */
  infraRestarts: number;
  /** Newest checkpoint whose commit is on the work remote (what a restart continues from); null: none. */
  lastPushedCheckpoint: number | null;
  /** The replica whose lease expired, for the reason. */
  previousOwner: string | null;
  maxInfraRestarts?: number;
}

export type AdoptionDecision =
  /** The holder died before it prompted: the attempt simply starts here. */
  | { action: "start" }
  /** Watch, conclude or continue the living OpenCode session. */
  | { action: "reattach" }
  /** End the attempt as lost (retryable, not counted); a new attempt continues from the work remote. */
  | { action: "restart"; error: SessionError; restart: number }
  /** Lost too often: the attempt fails for good. */
  | { action: "give_up"; error: SessionError };

/**
 * What an adopter does with an attempt whose lease it took over. Nothing the
 * agent committed at a pushed checkpoint is lost by a restart: the next
 * attempt's workspace is recreated from it.
 */
export function decideAdoption(input: AdoptionInput): AdoptionDecision {
  if (!input.openCodeSessionRecorded) return { action: "start" };
  if (input.openCodeSessionAlive) return { action: "reattach" };
  const max = input.maxInfraRestarts ?? MAX_INFRA_RESTARTS;
  const who = input.previousOwner ? `replica ${input.previousOwner}` : "its replica";
  if (input.infraRestarts >= max) {
    return {
      action: "give_up",
      error: {
        code: INFRASTRUCTURE_LOST,
        message: `the OpenCode session of ${who} is out of reach, and this session was already restarted ${input.infraRestarts} times after such losses (at most ${max}); not restarted again — does its work stop its runner?`,
        retryable: false,
      },
    };
  }
  const restart = input.infraRestarts + 1;
  const from =
    input.lastPushedCheckpoint === null
      ? "its base (no checkpoint reached the work remote)"
      : `checkpoint ${input.lastPushedCheckpoint} on the work remote`;
  return {
    action: "restart",
    restart,
    error: {
      code: INFRASTRUCTURE_LOST,
      message: `attempt lost to the infrastructure: the OpenCode session of ${who} is out of reach; a new attempt continues from ${from} (restart ${restart} of ${max}, not counted against maxAttempts)`,
      retryable: true,
    },
  };
}

/** An attempt lost to the infrastructure that is to be restarted (not counted against `maxAttempts`). */
export function isInfrastructureRestart(error: SessionError | null | undefined): boolean {
  return error?.code === INFRASTRUCTURE_LOST && error.retryable;
}
