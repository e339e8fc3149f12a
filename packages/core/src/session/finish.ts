import { isInfrastructureRestart } from "./adoption";
import type { AttemptStatus } from "./attempt";
import type { AttemptOutcome, InterruptReason } from "../ports";
import { decideRetry, type RetryPolicy } from "./retry";
import { SessionErrorCode, type SessionError } from "./session";
import { canTransition, type SessionStatus } from "./session-status";

export interface FinishPlan {
  /** Transitions in order (one transaction); the last one is where the session rests. */
  steps: { to: SessionStatus; reason: string }[];
  error: SessionError | null;
  attemptStatus: AttemptStatus;
  notBefore: Date | null;
  /** True when the session's run is over (completed, failed, timeout, stopped), for finishedAt and agent stats. */
  finished: boolean;
}

/**
 * Decides what an attempt's end means for its session: the natural outcome
 * wins over an interrupt that arrived too late; failures and timeouts are
 * requeued by the retry policy. An attempt lost to the infrastructure
 * (core's adoption rules) is requeued at once and not counted: the policy
 * sees `attempt − infraRestarts` attempts. Pure: `now` and `random` come in.
 */
export function planFinish(input: {
  status: SessionStatus;
  outcome: AttemptOutcome;
  interrupt: InterruptReason | null;
  attempt: number;
  /** Earlier attempts of the session lost to the infrastructure and restarted (not this one). */
  infraRestarts?: number;
  policy: RetryPolicy;
  now: Date;
  random: number;
}): FinishPlan | null {
  const { outcome, interrupt } = input;
  if (outcome.kind === "interrupted" && interrupt === "detach") return null;

  let target: SessionStatus;
  let reason: string;
  let error: SessionError | null = null;
  let attemptStatus: AttemptStatus;
  if (outcome.kind === "completed") {
    [target, reason, attemptStatus] = ["completed", "the last assistant turn finished without error", "succeeded"];
  } else if (outcome.kind === "failed") {
    [target, reason, attemptStatus, error] = ["failed", outcome.error.message, "failed", outcome.error];
  } else if (interrupt === "pause") {
    [target, reason, attemptStatus] = ["paused", "paused by request", "paused"];
  } else if (interrupt === "stop") {
    [target, reason, attemptStatus] = ["stopped", "stopped by request", "abandoned"];
  } else if (interrupt === "timeout") {
    error = {
      code: SessionErrorCode.TIMEOUT,
      message: "ran past its time limit; the OpenCode turn was aborted",
      retryable: true,
    };
    [target, reason, attemptStatus] = ["timeout", error.message, "failed"];
  } else if (interrupt === "budget") {
    error = {
      code: SessionErrorCode.BUDGET_EXCEEDED,
      message: "the session's token or cost budget was exceeded",
      retryable: false,
    };
    [target, reason, attemptStatus] = ["failed", error.message, "failed"];
  } else {
    error = { code: SessionErrorCode.ABORTED, message: "the OpenCode turn was aborted", retryable: true };
    [target, reason, attemptStatus] = ["failed", error.message, "failed"];
  }

  const steps: FinishPlan["steps"] = [];
  // degraded cannot go straight to paused: it recovers to running first.
  if (!canTransition(input.status, target) && canTransition(input.status, "running"))
    steps.push({ to: "running", reason: "recovered" });
  steps.push({ to: target, reason });

  let notBefore: Date | null = null;
  if (isInfrastructureRestart(error) && target === "failed") {
    // Not the session's doing: continue at once, whatever maxAttempts says (the restarts have their own bound).
    notBefore = input.now;
    steps.push({
      to: "pending",
      reason: `continuing as attempt ${input.attempt + 1} (lost to the infrastructure; not counted against maxAttempts)`,
    });
  } else if (error && (target === "failed" || target === "timeout")) {
    const counted = input.attempt - (input.infraRestarts ?? 0);
    const d = decideRetry({
      attempt: counted,
      retryable: error.retryable,
      policy: input.policy,
      now: input.now,
      random: input.random,
    });
    if (d.retry) {
      notBefore = d.notBefore;
      steps.push({
        to: "pending",
        reason: `retry ${counted + 1} of ${input.policy.maxAttempts} in ${d.delaySeconds.toFixed(1)} s`,
      });
    } else if (d.reason === "attempts_exhausted")
      steps[steps.length - 1]!.reason += ` (attempt ${counted} of ${input.policy.maxAttempts}; no retries left)`;
  }
  return { steps, error, attemptStatus, notBefore, finished: target !== "paused" };
}
