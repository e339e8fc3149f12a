import type { Agent, Session, SessionEvent, SessionStatus, TokenTotals } from "@industrial/core";

/** What the loop reports as it goes (metrics); every method is optional and must not throw. */
export interface SchedulerObserver {
  /**
   * A session was claimed (`started` from the queue, or a paused one `resumed`)
   * or an expired lease adopted; `session` as dispatched.
   */
  dispatched?(result: "claimed" | "adopted", session: Session, kind: "started" | "resumed" | "adopted"): void;
  /** Usage a committed write added (tokens per kind, cost), beyond what was told before. */
  usageCommitted?(usage: { agent: Agent; tokens: TokenTotals; costUsd: number }): void;
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
  /** Started to now when the session finished (a retry pending: null). */
  sessionSeconds: number | null;
}
