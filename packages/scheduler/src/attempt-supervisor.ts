import {
  coerceError,
  LEASE_RENEW_SECONDS,
  LEASE_SECONDS,
  AGENT_GATE_MARGIN_SECONDS,
  decideAgentGate,
  type AgentGate,
  type AttemptDriver,
  type BreakerPolicy,
  type AttemptHandle,
  type AttemptUsage,
  type Clock,
  type InterruptReason,
  type NewSessionEvent,
} from "@industrial/core";
import { detachedFromRequest, renewLease, updateAttempt, updateSession, type Database } from "@industrial/db";
import { writeAttemptEnd } from "./attempt-end";
import { healthWrite, writeCheckpoint } from "./attempt-writes";
import { readAttemptInputs } from "./attempt-inputs";
import { AttemptUsageMeter } from "./attempt-usage";
import { FencedWriter } from "./fenced-writer";
import { InputWaits } from "./input-waits";
import { TimeLimit } from "./time-limit";
import type { EventBus } from "./event-bus";
import { keepLeaseRenewed } from "./lease-renewal";
import type { Logger } from "./logger";
import { tellObserver, type SchedulerObserver } from "./observer";
import type { SupervisedAttempt } from "./supervised-attempt";

export type { SupervisedAttempt } from "./supervised-attempt";

export interface SupervisorDeps {
  db: Database;
  driver: AttemptDriver;
  bus: EventBus;
  replica: string;
  clock: Clock;
  logger: Logger;
  random: () => number;
  /** How long events may wait in the buffer before a batched write. */
  flushIntervalMs: number;
  leaseRenewMs?: number;
  breakerPolicy: BreakerPolicy;
  observer?: SchedulerObserver;
}

/**
 * Runs one attempt on this replica: starts the driver, hands what it reports
 * to the fenced writer (fenced-writer.ts; its checkpoints and health in
 * attempt-writes.ts), renews the lease, enforces the
 * time limit and budget, carries out pause/stop, and has the end of the
 * attempt written (attempt-end.ts).
 */
export class AttemptSupervisor {
  readonly sessionId: string;
  private interruptReason: InterruptReason | null = null;
  private leaseLost = false;
  private handle: AttemptHandle | null = null;
  private readonly runStart: Date;
  private readonly log: Logger;
  private runnerId: string | null;
  private readonly meter: AttemptUsageMeter;
  private readonly writer: FencedWriter;
  private finished = false;
  private handingOver = false;
  /** Earlier attempts of the session lost to the infrastructure (planFinish does not count them). */
  private infraRestarts = 0;
  private renewal: { stop(): void; lastRenewedAt(): number } | null = null;
  /** The outcome is in and its end is being written. */
  private ending = false;
  private deadline: TimeLimit | null = null;
  /** Time waiting for a person does not count against the limit (README, Time limit). */
  private waitingForInput = false;
  private readonly inputs: InputWaits;

  constructor(
    private readonly deps: SupervisorDeps,
    private readonly run: SupervisedAttempt,
  ) {
    this.sessionId = run.session.id;
    this.runStart = deps.clock.now();
    this.runnerId = run.attempt.runnerId;
    this.log = deps.logger.child({ sessionId: run.session.id, attempt: run.attempt.number });
    this.meter = new AttemptUsageMeter(run.session, run.attempt.usage, this.runStart, deps.clock);
    this.writer = new FencedWriter({
      db: deps.db,
      bus: deps.bus,
      session: { id: run.session.id, tenantId: run.session.tenantId },
      attempt: run.attempt,
      flushIntervalMs: deps.flushIntervalMs,
      meter: this.meter,
      log: this.log,
      random: deps.random,
      leaseLost: () => this.leaseLost,
      giveUp: () => this.leaseLost || this.interruptReason === "detach",
      stale: (reason) => this.staleWrite("database", reason),
      usageCommitted: (added) => {
        const observer = this.deps.observer?.usageCommitted;
        if (!observer || !added) return;
        tellObserver(this.log, () => observer({ agent: this.run.agent, ...added }));
      },
    });
    this.inputs = new InputWaits({
      db: this.deps.db,
      session: { id: this.run.session.id, tenantId: this.run.session.tenantId },
      attempt: this.run.attempt.number,
      agentId: this.run.agent.id,
      timeoutSeconds: this.run.agent.inputTimeoutSeconds,
      clock: this.deps.clock,
      write: (write) => this.writer.enqueue(write),
      handle: () => this.handle,
      live: () => !this.leaseLost && !this.finished && this.interruptReason !== "detach",
      log: this.log,
      waiting: (on) => {
        this.waitingForInput = on;
        if (on) this.deadline?.pause();
        else this.deadline?.resume();
      },
      resolved: (kind, outcome, waitedSeconds) =>
        tellObserver(this.log, () => this.deps.observer?.inputResolved?.({ kind, outcome, waitedSeconds })),
    });
  }

  get fencingToken(): number {
    return this.run.attempt.fencingToken;
  }

  /** Runs the attempt to its end; resolves when everything is written. */
  async start(): Promise<void> {
    const { session, attempt, agent, mode, continuation, previousOwner } = this.run;
    this.log.info({ mode, agent: agent.name }, "attempt started");
    const inputs = await readAttemptInputs(this.deps.db, this.run, {
      log: this.log,
      random: this.deps.random,
      giveUp: () => this.leaseLost || this.interruptReason === "detach",
      warn: (text) => this.emit([{ type: "session.log", payload: { level: "warn", source: "orchestrator", text } }]),
    });
    this.infraRestarts = inputs.infraRestarts ?? 0;
    const { writer } = this;
    this.handle = this.deps.driver.start(
      {
        session,
        attempt,
        agent,
        mode,
        continuation,
        usage: this.meter.usage,
        ...inputs,
        previousOwner: previousOwner ?? null,
      },
      {
        emit: (events) => this.emit(events),
        usage: (u) => this.setUsage(u),
        health: (state, reason) => writer.post(healthWrite(attempt.number, state, reason)),
        setWorkspace: (workspace) => writer.enqueue((tx) => updateSession(tx, session, { workspace })),
        setOpenCodeSession: (id) =>
          writer.enqueue((tx) => updateAttempt(tx, session.tenantId, attempt.id, { openCodeSessionId: id })),
        setRunner: (runnerId) => {
          this.runnerId = runnerId;
          return writer.enqueue((tx) => updateAttempt(tx, session.tenantId, attempt.id, { runnerId }));
        },
        checkpoint: (input) => writeCheckpoint(writer, this.meter, attempt.number, input),
        staleWrite: (kind, reason) => this.staleWrite(kind, reason),
        agentGate: () => this.agentGate(),
        inputRequested: (ask) => this.inputs.requested(ask),
        inputGone: (ids) => this.inputs.gone(ids),
        inputHeld: (ids) => this.inputs.held(ids),
      },
    );
    // An interrupt that arrived while the driver was being set up reaches it now.
    if (this.interruptReason) this.handle.interrupt(this.interruptReason);
    this.armTimers();
    let outcome;
    try {
      outcome = await this.handle.outcome;
    } catch (e) {
      outcome = {
        kind: "failed" as const,
        error: { code: "INTERNAL", message: `runner error: ${coerceError(e).message}`, retryable: true },
      };
    }
    this.deadline?.clear();
    this.inputs.stop();
    writer.stopFlushes();
    this.ending = true;
    try {
      const sessionEnd = await writeAttemptEnd({
        run: this.run,
        outcome,
        interrupt: this.interruptReason,
        infraRestarts: this.infraRestarts,
        runnerId: () => this.runnerId,
        runStart: this.runStart,
        writer,
        meter: this.meter,
        clock: this.deps.clock,
        random: this.deps.random,
        breakerPolicy: this.deps.breakerPolicy,
        log: this.log,
        leaseLost: () => this.leaseLost,
      });
      if (sessionEnd) tellObserver(this.log, () => this.deps.observer?.sessionFinished?.(sessionEnd));
    } finally {
      // The lease is renewed until the end is written, so nobody adopts a session being wound down.
      this.finished = true;
      this.renewal?.stop();
    }
  }

  /**
   * Whether the agent may take its next step here. Before the renewals are
   * armed the lease counts from this run's start (taken just after the claim
   * that set it; the gate's margin covers the gap).
   */
  private agentGate(): AgentGate {
    return decideAgentGate({
      over: this.finished || this.leaseLost || this.ending || this.interruptReason !== null,
      lastRenewedAtMs: this.renewal?.lastRenewedAt() ?? this.runStart.getTime(),
      nowMs: this.deps.clock.now().getTime(),
      leaseMs: LEASE_SECONDS * 1000,
      marginMs: AGENT_GATE_MARGIN_SECONDS * 1000,
    });
  }

  /** Asks the attempt to stop working; the first reason wins (a hand-over that takes too long may still be cut short by a detach). */
  interrupt(reason: InterruptReason): void {
    if (this.interruptReason) {
      if (reason === "detach" && this.handingOver) this.handle?.interrupt("detach");
      return;
    }
    this.interruptReason = reason;
    this.log.info({ reason }, "interrupting attempt");
    this.handle?.interrupt(reason);
  }

  /**
   * A write was refused as stale (a fencing token in the database, the work
   * remote's lease in git): another holder owns the attempt now; it is let go
   * without writing anything more. Whoever detects a refusal counts it: the
   * database's here, git's where the push was made.
   */
  private staleWrite(kind: "database" | "git", reason: string): void {
    if (kind === "database") tellObserver(this.log, () => this.deps.observer?.staleWrite?.("database"));
    if (this.leaseLost) return;
    this.leaseLost = true;
    this.log.warn({ kind, reason }, "a write was refused as stale; detaching");
    this.interrupt("detach");
  }

  /**
   * This replica stops: the driver checkpoints and pushes what the workspace
   * holds, then the attempt ends detached, which hands the lease back (no
   * other write) so another replica adopts it at once. An attempt already
   * ending for another reason (pause, stop, timeout) ends as it would.
   */
  async handOver(): Promise<void> {
    if (this.interruptReason) return;
    this.interruptReason = "detach";
    this.handingOver = true;
    this.log.info({}, "handing the attempt over: checkpoint, push, hand the lease back");
    if (this.handle?.handOver) await this.handle.handOver();
    else this.handle?.interrupt("detach");
  }

  async send(text: string): Promise<void> {
    this.emit([{ type: "session.log", payload: { level: "info", source: "user", text } }]);
    await this.handle?.send(text);
  }

  /** People answered some of the attempt's input requests (the scheduler's tick saw it): forward them. */
  deliverInput(): Promise<void> {
    return this.inputs.deliverReplies();
  }

  /** Asked for by an API request, but written by the lease holder's own flushes: not stamped with that request's id. */
  async checkpointNow(): Promise<void> {
    await detachedFromRequest(() => this.handle?.checkpointNow("manual"))();
  }

  private armTimers(): void {
    const { attempt } = this.run;
    this.renewal = keepLeaseRenewed({
      renew: () => renewLease(this.deps.db, this.run.session.tenantId, attempt, this.deps.replica),
      renewMs: this.deps.leaseRenewMs ?? LEASE_RENEW_SECONDS * 1000,
      leaseMs: LEASE_SECONDS * 1000,
      now: () => this.deps.clock.now().getTime(),
      renewedAt: this.runStart.getTime(),
      random: this.deps.random,
      log: this.log,
      renewed: () => this.deps.observer?.leaseRenewal?.("renewed"),
      failed: () => this.deps.observer?.leaseRenewal?.("failed"),
      lost: () => {
        // Not renewed because the end is being written (which releases the lease) is no loss.
        if (!this.ending) this.deps.observer?.leaseRenewal?.("lost");
        if (this.finished) return;
        this.leaseLost = true;
        this.log.warn({}, "lease lost; detaching from the attempt");
        this.interrupt("detach");
      },
      done: () => this.finished || this.leaseLost,
    });
    // The limit counts from each run of the attempt on a replica (start, resume, adoption):
    // paused time and a dead replica's downtime are not the session's own.
    this.deadline = new TimeLimit(
      this.run.session.maxDurationSeconds * 1000,
      () => this.interrupt("timeout"),
      () => this.deps.clock.now().getTime(),
    );
    if (this.waitingForInput) this.deadline.pause();
  }

  private emit(events: readonly NewSessionEvent[]): void {
    this.writer.emit(events);
  }

  private setUsage(u: AttemptUsage): void {
    this.meter.usage = u;
    this.writer.usageChanged();
    if (this.meter.overBudget(this.run.session.budget)) this.interrupt("budget");
  }
}
