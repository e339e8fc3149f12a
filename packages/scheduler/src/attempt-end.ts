import {
  coerceError,
  extractContextWriteBack,
  FINISHED_STATUSES,
  isDomainError,
  planFinish,
  type AttemptOutcome,
  type BreakerPolicy,
  type Clock,
  type InterruptReason,
  type Session,
  type SessionEvent,
  type SessionStatus,
} from "@industrial/core";
import {
  appendEvents,
  handBackLease,
  recordAttemptEnd,
  transitionSession,
  updateAttempt,
  writeBackSessionContext,
  type Queryable,
} from "@industrial/db";
import type { AttemptUsageMeter } from "./attempt-usage";
import type { FencedWriter } from "./fenced-writer";
import type { Logger } from "./logger";
import type { SupervisedAttempt } from "./supervised-attempt";
import { totalTokens } from "./usage";

/** A session the end finished (committed): the status it ended in, started to now. */
export type SessionEnd = { status: SessionStatus; seconds: number };

export interface AttemptEndInput {
  run: SupervisedAttempt;
  outcome: AttemptOutcome;
  /** Why the attempt was interrupted, if it was (the first reason). */
  interrupt: InterruptReason | null;
  /** Earlier attempts of the session lost to the infrastructure (planFinish does not count them). */
  infraRestarts: number;
  /** The runner the attempt ran on (as last recorded), for its record and breakers. */
  runnerId(): string | null;
  /** When this run of the attempt began on this replica. */
  runStart: Date;
  writer: FencedWriter;
  meter: AttemptUsageMeter;
  clock: Clock;
  random: () => number;
  breakerPolicy: BreakerPolicy;
  log: Logger;
  leaseLost(): boolean;
}

/**
 * Writes the end of an attempt, as core's `planFinish` decides it, in one
 * fenced transaction: the session's transitions (with its result and the
 * context write-back of a completed end), the attempt's status with its
 * lease released, and the agent's record and breakers. A shutdown's plan
 * (none) only hands the lease back. The end must be written: a failing
 * database is tried again until it answers or the lease is gone. Returns the
 * session's end when this one finished it.
 */
export async function writeAttemptEnd(input: AttemptEndInput): Promise<SessionEnd | null> {
  const { writer, log } = input;
  await writer.settled();
  if (input.leaseLost()) return null;
  let sessionEnd: SessionEnd | null = null;
  const finished = (end: SessionEnd) => (sessionEnd = end);
  // The end of an attempt must be written: retry a failing database until it answers (or the lease is gone).
  for (let i = 0; ; i++) {
    try {
      await writer.enqueue((tx, s) => writeEnd(tx, s, input, finished));
      break;
    } catch (e) {
      if (input.leaseLost()) return null;
      // A domain error (the session was moved on by someone else, e.g. orphaned) will not heal by retrying.
      if (isDomainError(e)) {
        log.warn({ err: e.message }, "the end of the attempt could not be written; the session moved on");
        return null;
      }
      const wait = Math.min(30_000, 500 * 2 ** i);
      log.error({ err: coerceError(e).message, retryInMs: wait }, "writing the end of the attempt failed; retrying");
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  if (input.leaseLost()) return null;
  log.info({ outcome: input.outcome.kind, interrupt: input.interrupt }, "attempt finished");
  return sessionEnd;
}

/** The end's transaction (run again after a rollback); `finished` hears of a session it finished. */
async function writeEnd(
  tx: Queryable,
  s: Session,
  input: AttemptEndInput,
  finished: (end: SessionEnd) => void,
): Promise<SessionEvent[] | void> {
  const { run, outcome, clock } = input;
  const { attempt, session } = run;
  const plan = planFinish({
    status: s.status,
    outcome,
    interrupt: input.interrupt,
    attempt: attempt.number,
    infraRestarts: input.infraRestarts,
    policy: session.retry,
    now: clock.now(),
    random: input.random(),
  });
  if (!plan) {
    // Shutting down: hand the lease back so another replica (or this one after restart) adopts at once.
    await handBackLease(tx, s.tenantId, attempt.id);
    return;
  }
  const metrics = input.meter.metrics();
  const out: SessionEvent[] = [];
  const result =
    outcome.kind === "completed"
      ? { summary: outcome.summary, filesChanged: outcome.filesChanged, diffStat: outcome.diffStat }
      : undefined;
  if (outcome.kind === "completed" && plan.steps.at(-1)?.to === "completed")
    out.push(...(await writeBackContext(tx, s, attempt.number, outcome.summary)));
  if (result) {
    metrics.filesChanged = result.diffStat.files;
    metrics.linesAdded = result.diffStat.additions;
    metrics.linesRemoved = result.diffStat.deletions;
  }
  for (const [i, step] of plan.steps.entries()) {
    const last = i === plan.steps.length - 1;
    out.push(
      ...(await transitionSession(tx, s, step.to, step.reason, {
        attempt: attempt.number,
        patch: {
          metrics,
          requestedAction: null,
          requestedActionPayload: null,
          ...(step.to !== "running" && step.to !== "pending" && plan.finished ? { finishedAt: clock.now() } : {}),
          ...(plan.error ? { error: plan.error } : {}),
          ...(result ? { result } : {}),
          ...(last && step.to === "pending" ? { notBefore: plan.notBefore, statusReason: step.reason } : {}),
        },
      })),
    );
  }
  await updateAttempt(tx, s.tenantId, attempt.id, {
    status: plan.attemptStatus,
    error: plan.error,
    finished: plan.attemptStatus !== "paused",
    releaseLease: true,
  });
  // The agent's record and the breakers move in the same transaction as the end they count.
  const now = clock.now();
  const { usage } = input.meter;
  await recordAttemptEnd(tx, {
    tenantId: s.tenantId,
    agentId: run.agent.id,
    runnerId: input.runnerId(),
    status: plan.steps.findLast((step) => step.to !== "pending" && step.to !== "running")?.to ?? s.status,
    error: plan.error,
    durationSeconds: Math.max(0, (now.getTime() - input.runStart.getTime()) / 1000),
    tokens: totalTokens(usage.tokens),
    costUsd: usage.costUsd,
    byModel: usage.byModel,
    sessionId: s.id,
    attempt: attempt.number,
    capabilities: session.requiredCapabilities,
    now,
    policy: input.breakerPolicy,
  });
  const status = plan.steps.at(-1)?.to ?? s.status;
  const startedAt = s.startedAt ? Date.parse(s.startedAt) : input.runStart.getTime();
  if (FINISHED_STATUSES.includes(status))
    finished({ status, seconds: Math.max(0, (now.getTime() - startedAt) / 1000) });
  return out;
}

/**
 * Write-back, inside the transaction that writes a completed end (before
 * its status change, so the log line precedes it): the final answer's
 * ```orchestrator-context block is deep-merged into the session's own
 * context (created when missing), version + 1. Nothing here throws a
 * domain error — a bad block becomes a warning in the log — so it can
 * never keep the end from being written.
 */
async function writeBackContext(tx: Queryable, s: Session, attempt: number, answer: string): Promise<SessionEvent[]> {
  const block = extractContextWriteBack(answer);
  if (block.kind === "none") return [];
  let text: string;
  let level: "info" | "warn" = "warn";
  if (block.kind === "invalid") text = `the final answer's orchestrator-context block was not written: ${block.reason}`;
  else {
    const r = await writeBackSessionContext(tx, { tenantId: s.tenantId, sessionId: s.id }, block.data);
    if (r.written) {
      level = "info";
      text = `context ${r.context.id} updated from the final answer: version ${r.context.version}, keys ${r.changed.slice(0, 50).join(", ") || "(none changed)"}`;
    } else text = `the final answer's orchestrator-context block was not written: ${r.reason}`;
  }
  return appendEvents(
    tx,
    s,
    [{ type: "session.log", payload: { level, source: "orchestrator", text: text.slice(0, 2000) } }],
    attempt,
  );
}
