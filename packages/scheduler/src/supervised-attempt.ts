import type { Agent, Attempt, AttemptMode, Session } from "@industrial/core";

/** An attempt the scheduler hands a supervisor to run on this replica (claimed, resumed or adopted). */
export interface SupervisedAttempt {
  session: Session;
  attempt: Attempt;
  agent: Agent;
  mode: AttemptMode;
  continuation: string | null;
  /** Adoption: the replica whose lease expired. */
  previousOwner?: string | null;
}
