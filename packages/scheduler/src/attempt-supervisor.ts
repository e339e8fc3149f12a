import {
  coerceError,
  emptyUsage,
  FINISHED_STATUSES,
  extractContextWriteBack,
  isDomainError,
  LEASE_RENEW_SECONDS,
  LEASE_SECONDS,
  AGENT_GATE_MARGIN_SECONDS,
  decideAgentGate,
  type AgentGate,
  planFinish,
  StaleFencingTokenError,
  type Agent,
  type Attempt,
  type AttemptDriver,
  type BreakerPolicy,
  type AttemptHandle,
  type AttemptMode,
  type AttemptUsage,
  type Clock,
  type InterruptReason,
  type NewSessionEvent,
  type Session,
  type SessionEvent,
  type SessionMetrics,
  type SessionStatus,
} from "@industrial/core";
import {
  appendCheckpoint,
  appendEvents,
  detachedFromRequest,
  handBackLease,
  lockSession,
  recordAttemptEnd,
  recordAttemptUsage,
  renewLease,
  transitionSession,
  updateAttempt,
  updateSession,
  writeBackSessionContext,
  type Database,
  type Queryable,
} from "@industrial/db";
import { readAttemptInputs } from "./attempt-inputs";
import { InputWaits } from "./input-waits";
import { TimeLimit } from "./time-limit";
import type { EventBus } from "./event-bus";
import { keepLeaseRenewed } from "./lease-renewal";
import type { Logger } from "./logger";
import { tellObserver, type SchedulerObserver } from "./observer";
import { retryThroughOutage } from "./outage-retry";
import { applyUsage, totalTokens } from "./usage";

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

export interface SupervisedAttempt {
  session: Session;
  attempt: Attempt;
  agent: Agent;
  mode: AttemptMode;
  continuation: string | null;
  /** Adoption: the replica whose lease expired. */
  previousOwner?: string | null;
}

type Write = (tx: Queryable, session: Session) => Promise<SessionEvent[] | void>;

/**
 * Runs one attempt on this replica: starts the driver, batches what it
 * reports into fenced transactions, renews the lease, enforces the time limit
 * and budget, carries out pause/stop, and writes the end of the attempt.
 */
export class AttemptSupervisor {
  readonly sessionId: string;
  private interruptReason: InterruptReason | null = null;
  private leaseLost = false;
  private buffer: NewSessionEvent[] = [];
  private usage: AttemptUsage;
  /** Usage already told to the observer (see reportUsage). */
  private reportedUsage: AttemptUsage;
  private usageDirty = false;
  private readonly baseMetrics: SessionMetrics;
  private chain: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | null = null;
  private handle: AttemptHandle | null = null;
  private readonly runStart: Date;
  private readonly log: Logger;
  private runnerId: string | null;

  constructor(
    private readonly deps: SupervisorDeps,
    private readonly run: SupervisedAttempt,
  ) {
    this.sessionId = run.session.id;
    this.usage = run.attempt.usage ?? emptyUsage();
    this.reportedUsage = this.usage;
    // Session metrics already hold what this attempt used before a pause or crash.
    this.baseMetrics = run.attempt.usage ? applyUsage(run.session.metrics, run.attempt.usage, -1) : run.session.metrics;
    this.runStart = deps.clock.now();
    this.runnerId = run.attempt.runnerId;
    this.log = deps.logger.child({ sessionId: run.session.id, attempt: run.attempt.number });
    this.inputs = new InputWaits({
      db: this.deps.db,
      session: { id: this.run.session.id, tenantId: this.run.session.tenantId },
      attempt: this.run.attempt.number,
      agentId: this.run.agent.id,
      timeoutSeconds: this.run.agent.inputTimeoutSeconds,
      clock: this.deps.clock,
      write: (write) => this.enqueue(write),
      handle: () => this.handle,
      live: () => !this.leaseLost && !this.finished && this.interruptReason !== "detach",
      log: this.log,
      waiting: (on) => {
        this.waitingForInput = on;
        if (on) this.deadline?.pause();
        else this.deadline?.resume();
      },
      resolved: (kind, outcome, waitedSeconds) => tellObserver(this.log, () => this.deps.observer?.inputResolved?.({ kind, outcome, waitedSeconds })),
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
    this.handle = this.deps.driver.start(
      { session, attempt, agent, mode, continuation, usage: this.usage, ...inputs, previousOwner: previousOwner ?? null },
      {
        emit: (events) => this.emit(events),
        usage: (u) => this.setUsage(u),
        health: (state, reason) => this.post((tx, s) => this.setHealth(tx, s, state, reason)),
        setWorkspace: (workspace) => this.enqueue((tx) => updateSession(tx, session, { workspace })),
        setOpenCodeSession: (id) => this.enqueue((tx) => updateAttempt(tx, session.tenantId, attempt.id, { openCodeSessionId: id })),
        setRunner: (runnerId) => {
          this.runnerId = runnerId;
          return this.enqueue((tx) => updateAttempt(tx, session.tenantId, attempt.id, { runnerId }));
        },
        checkpoint: async (input) => {
          let seq: number | null = null;
          await this.enqueue(async (tx, s) => {
            const metrics = this.metrics();
            const cp = await appendCheckpoint(tx, s, {
              attempt: attempt.number,
              trigger: input.trigger,
              openCodeMessageId: input.openCodeMessageId,
              gitCommit: input.gitCommit,
              diffStat: input.diffStat,
              tokens: metrics.tokens,
              costUsd: metrics.costUsd,
            });
            this.baseMetrics.checkpoints = cp.seq;
            await updateSession(tx, s, { metrics: this.metrics() });
            seq = cp.seq;
            return appendEvents(tx, s, [{ type: "session.checkpoint", payload: { seq: cp.seq, hash: cp.hash, trigger: cp.trigger, gitCommit: cp.gitCommit } }], attempt.number);
          });
          // A write dropped because the lease is gone runs nothing: no seq, nothing to push.
          return seq === null ? null : { seq };
        },
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
      outcome = { kind: "failed" as const, error: { code: "INTERNAL", message: `runner error: ${coerceError(e).message}`, retryable: true } };
    }
    this.deadline?.clear();
    this.inputs.stop();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.ending = true;
    try {
      await this.finish(outcome);
    } finally {
      // The lease is renewed until the end is written, so nobody adopts a session being wound down.
      this.finished = true;
      this.renewal?.stop();
    }
  }

  private finished = false;
  private handingOver = false;
  /** Earlier attempts of the session lost to the infrastructure (planFinish does not count them). */
  private infraRestarts = 0;
  private renewal: { stop(): void; lastRenewedAt(): number } | null = null;

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
  /** The outcome is in and its end is being written. */
  private ending = false;
  private lastTokens = "";
  private deadline: TimeLimit | null = null;
  /** Time waiting for a person does not count against the limit (README, Time limit). */
  private waitingForInput = false;
  private readonly inputs: InputWaits;

  /**
   * Write-back, inside the transaction that writes a completed end (before
   * its status change, so the log line precedes it): the final answer's
   * ```orchestrator-context block is deep-merged into the session's own
   * context (created when missing), version + 1. Nothing here throws a
   * domain error — a bad block becomes a warning in the log — so it can
   * never keep the end from being written.
   */
  private async writeBackContext(tx: Queryable, s: Session, answer: string): Promise<SessionEvent[]> {
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
    return appendEvents(tx, s, [{ type: "session.log", payload: { level, source: "orchestrator", text: text.slice(0, 2000) } }], this.run.attempt.number);
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
    this.deadline = new TimeLimit(this.run.session.maxDurationSeconds * 1000, () => this.interrupt("timeout"), () => this.deps.clock.now().getTime());
    if (this.waitingForInput) this.deadline.pause();
  }

  private emit(events: readonly NewSessionEvent[]): void {
    if (this.leaseLost) return;
    this.buffer.push(...events);
    this.scheduleFlush();
  }

  /**
   * Tells the observer the usage this write committed beyond what was
   * reported before (per kind, never negative: a correction downwards is
   * not "unspent", and growth after it counts only past the earlier high).
   * Starts from the attempt's stored usage, so a resumed or adopted attempt
   * does not report its earlier runs again.
   */
  private reportUsage(usage: AttemptUsage): void {
    const observer = this.deps.observer?.usageCommitted;
    const before = this.reportedUsage;
    const tokens = { ...before.tokens };
    const delta = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
    for (const k of Object.keys(delta) as (keyof typeof delta)[]) {
      delta[k] = Math.max(0, usage.tokens[k] - before.tokens[k]);
      tokens[k] = Math.max(before.tokens[k], usage.tokens[k]);
    }
    const costUsd = Math.max(0, usage.costUsd - before.costUsd);
    this.reportedUsage = { ...usage, tokens, costUsd: Math.max(before.costUsd, usage.costUsd) };
    if (!observer || (costUsd === 0 && Object.values(delta).every((n) => n === 0))) return;
    tellObserver(this.log, () => observer({ agent: this.run.agent, tokens: delta, costUsd }));
  }

  private setUsage(u: AttemptUsage): void {
    this.usage = u;
    this.usageDirty = true;
    this.scheduleFlush();
    const { maxTokens, maxCostUsd } = this.run.session.budget;
    const m = this.metrics();
    if ((maxTokens !== undefined && totalTokens(m.tokens) > maxTokens) || (maxCostUsd !== undefined && m.costUsd > maxCostUsd)) this.interrupt("budget");
  }

  private metrics(): SessionMetrics {
    const m = applyUsage(this.baseMetrics, this.usage);
    m.runSeconds = this.baseMetrics.runSeconds + (this.deps.clock.now().getTime() - this.runStart.getTime()) / 1000;
    return m;
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.post(async () => undefined);
    }, this.deps.flushIntervalMs);
  }

  /** A write nobody waits for (a flush, a health change): a failure was logged and its events kept; unhandled, it would end the process. */
  private post(write: Write): void {
    this.enqueue(write).catch(() => undefined);
  }

  /** Waits a database outage out (the attempt's OpenCode turn goes on meanwhile); gives up only when the attempt is no longer this replica's to write. */
  private throughOutage<T>(what: string, run: () => Promise<T>): Promise<T> {
    return retryThroughOutage(run, { what, log: this.log, random: this.deps.random, giveUp: () => this.leaseLost || this.interruptReason === "detach" });
  }

  private async setHealth(tx: Queryable, s: Session, state: "healthy" | "degraded", reason: string): Promise<SessionEvent[] | void> {
    if (state === "degraded" && s.status === "running") return transitionSession(tx, s, "degraded", reason, { attempt: this.run.attempt.number });
    if (state === "healthy" && s.status === "degraded") return transitionSession(tx, s, "running", reason, { attempt: this.run.attempt.number });
  }

  private enqueue(write: Write): Promise<void> {
    const run = this.chain.then(() => this.write(write));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * One fenced transaction: the buffered events, the usage, then `extra`.
   * Events are published only after commit. A stale token means another
   * replica owns the attempt now: detach and drop what we had.
   */
  private async write(extra: Write): Promise<void> {
    if (this.leaseLost) return;
    const events = this.buffer;
    this.buffer = [];
    const usageDirty = this.usageDirty;
    this.usageDirty = false;
    const usage = this.usage;
    try {
      // While the database is away the turn goes on and its events wait in the buffer (this batch first, in order).
      let tokensKey: string | null = null;
      const written = await this.throughOutage("session write", () => this.deps.db.transaction(async (tx) => {
        tokensKey = null;
        const s = await lockSession(tx, this.sessionId, { tenantId: this.run.session.tenantId, fencingToken: this.fencingToken });
        const out = await appendEvents(tx, s, events, this.run.attempt.number);
        if (usageDirty) {
          await updateSession(tx, s, { metrics: this.metrics() });
          await recordAttemptUsage(tx, s.tenantId, this.run.attempt.id, usage);
          // A token event only when the totals moved (usage also changes with tool counts).
          const m = this.metrics();
          const key = JSON.stringify([m.tokens, m.costUsd]);
          if (key !== this.lastTokens) {
            tokensKey = key;
            out.push(...(await appendEvents(tx, s, [{ type: "session.tokens", payload: { totals: m.tokens, cost: m.costUsd } }], this.run.attempt.number)));
          }
        }
        out.push(...((await extra(tx, s)) ?? []));
        return out;
      }));
      // Remembered once committed: a try that rolled back must write its token event again.
      if (tokensKey !== null) this.lastTokens = tokensKey;
      this.deps.bus.publish(written);
      if (usageDirty) this.reportUsage(usage);
    } catch (e) {
      if (e instanceof StaleFencingTokenError) {
        this.staleWrite("database", e.message);
        return;
      }
      // Keep what was not written for the next try, in order.
      this.buffer = [...events, ...this.buffer];
      this.usageDirty ||= usageDirty;
      this.log.error({ err: coerceError(e).message }, "session write failed");
      throw e;
    }
  }

  private async finish(outcome: Awaited<AttemptHandle["outcome"]>): Promise<void> {
    await this.chain;
    if (this.leaseLost) return;
    const { attempt, session } = this.run;
    const interrupt = this.interruptReason;
    let sessionEnd: { status: SessionStatus; seconds: number } | null = null;
    const writeEnd = () => this.enqueue(async (tx, s) => {
      const plan = planFinish({ status: s.status, outcome, interrupt, attempt: attempt.number, infraRestarts: this.infraRestarts, policy: session.retry, now: this.deps.clock.now(), random: this.deps.random() });
      if (!plan) {
        // Shutting down: hand the lease back so another replica (or this one after restart) adopts at once.
        await handBackLease(tx, s.tenantId, attempt.id);
        return;
      }
      const metrics = this.metrics();
      const out: SessionEvent[] = [];
      const result =
        outcome.kind === "completed" ? { summary: outcome.summary, filesChanged: outcome.filesChanged, diffStat: outcome.diffStat } : undefined;
      if (outcome.kind === "completed" && plan.steps.at(-1)?.to === "completed") out.push(...(await this.writeBackContext(tx, s, outcome.summary)));
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
              ...(step.to !== "running" && step.to !== "pending" && plan.finished ? { finishedAt: this.deps.clock.now() } : {}),
              ...(plan.error ? { error: plan.error } : {}),
              ...(result ? { result } : {}),
              ...(last && step.to === "pending" ? { notBefore: plan.notBefore, statusReason: step.reason } : {}),
            },
          })),
        );
      }
      await updateAttempt(tx, s.tenantId, attempt.id, { status: plan.attemptStatus, error: plan.error, finished: plan.attemptStatus !== "paused", releaseLease: true });
      // The agent's record and the breakers move in the same transaction as the end they count.
      const now = this.deps.clock.now();
      await recordAttemptEnd(tx, {
        tenantId: s.tenantId,
        agentId: this.run.agent.id,
        runnerId: this.runnerId,
        status: plan.steps.findLast((step) => step.to !== "pending" && step.to !== "running")?.to ?? s.status,
        error: plan.error,
        durationSeconds: Math.max(0, (now.getTime() - this.runStart.getTime()) / 1000),
        tokens: totalTokens(this.usage.tokens),
        costUsd: this.usage.costUsd,
        byModel: this.usage.byModel,
        sessionId: s.id,
        attempt: attempt.number,
        capabilities: session.requiredCapabilities,
        now,
        policy: this.deps.breakerPolicy,
      });
      const status = plan.steps.at(-1)?.to ?? s.status;
      const startedAt = s.startedAt ? Date.parse(s.startedAt) : this.runStart.getTime();
      if (FINISHED_STATUSES.includes(status)) sessionEnd = { status, seconds: Math.max(0, (now.getTime() - startedAt) / 1000) };
      return out;
    });
    // The end of an attempt must be written: retry a failing database until it answers (or the lease is gone).
    for (let i = 0; ; i++) {
      try {
        await writeEnd();
        break;
      } catch (e) {
        if (this.leaseLost) return;
        // A domain error (the session was moved on by someone else, e.g. orphaned) will not heal by retrying.
        if (isDomainError(e)) {
          this.log.warn({ err: e.message }, "the end of the attempt could not be written; the session moved on");
          return;
        }
        const wait = Math.min(30_000, 500 * 2 ** i);
        this.log.error({ err: coerceError(e).message, retryInMs: wait }, "writing the end of the attempt failed; retrying");
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    if (this.leaseLost) return;
    this.log.info({ outcome: outcome.kind, interrupt }, "attempt finished");
    const done = sessionEnd;
    if (done) tellObserver(this.log, () => this.deps.observer?.sessionFinished?.(done));
  }
}
