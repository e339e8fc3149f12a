import type { Agent, AttemptUsage, Session, SessionEvent, SessionStatus } from "@industrial/core";

/** What the loop reports as it goes (metrics); every method is optional and must not throw. */
export interface SchedulerObserver {
  /** A session was claimed from the queue or an expired lease adopted; `session` as dispatched. */
  dispatched?(result: "claimed" | "adopted", session: Session): void;
  leaseRenewal?(result: "renewed" | "lost" | "failed"): void;
  /** An attempt's end was written (after the commit). */
  attemptEnded?(end: AttemptEnd): void;
}

export interface AttemptEnd {
  sessionId: string;
  /** The session's status after the end (`pending` when a retry is scheduled). */
  status: SessionStatus;
  /** The events the end committed. */
  events: SessionEvent[];
  agent: Agent;
  /** This attempt's usage as OpenCode reported it. */
  usage: AttemptUsage;
  /** Started to now when the session finished (a retry pending: null). */
  sessionSeconds: number | null;
}
