import { coerceError, type Agent, type Session, type SessionStatus, type TokenTotals } from "@industrial/core";
import type { Logger } from "./logger";

/** What the loop reports as it goes (metrics); every method is optional. */
export interface SchedulerObserver {
  /** A session was dispatched: `started` from the queue, a paused one `resumed`, or an expired lease `adopted`; `session` as dispatched. */
  dispatched?(kind: "started" | "resumed" | "adopted", session: Session): void;
  /** Usage a committed write added (tokens per kind, cost), beyond what was told before. */
  usageCommitted?(usage: { agent: Agent; tokens: TokenTotals; costUsd: number }): void;
  leaseRenewal?(result: "renewed" | "lost" | "failed"): void;
  /** A write of a lease holder was refused for its stale fencing token (git's refusals are counted by the work remote's pusher). */
  staleWrite?(kind: "database"): void;
  /** An attempt's end finished its session (committed): the status it ended in, started to now. */
  sessionFinished?(finish: { status: SessionStatus; seconds: number }): void;
  /** An input request of an attempt here left open (answered, rejected, expired, cancelled) after waiting `waitedSeconds`. */
  inputResolved?(input: { kind: "permission" | "question"; outcome: string; waitedSeconds: number }): void;
}

/** Calls an observer; a throwing one (metrics) is logged and never breaks the loop or the attempt. */
export function tellObserver(log: Logger, tell: () => void): void {
  try {
    tell();
  } catch (e) {
    log.warn({ err: coerceError(e).message }, "scheduler observer failed");
  }
}
