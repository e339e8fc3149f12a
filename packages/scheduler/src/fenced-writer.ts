import {
  coerceError,
  StaleFencingTokenError,
  type NewSessionEvent,
  type Session,
  type SessionEvent,
} from "@industrial/core";
import {
  appendEvents,
  lockSession,
  recordAttemptUsage,
  updateSession,
  type Database,
  type Queryable,
} from "@industrial/db";
import type { AttemptUsageMeter } from "./attempt-usage";
import type { EventBus } from "./event-bus";
import type { Logger } from "./logger";
import { retryThroughOutage } from "./outage-retry";

/** A write of the lease holder, run inside its fenced transaction; the events it returns are published after commit. */
export type FencedWrite = (tx: Queryable, session: Session) => Promise<SessionEvent[] | void>;

export interface FencedWriterDeps {
  db: Database;
  bus: EventBus;
  session: { id: string; tenantId: string };
  attempt: { id: string; number: number; fencingToken: number };
  /** How long events may wait in the buffer before a batched write. */
  flushIntervalMs: number;
  meter: AttemptUsageMeter;
  log: Logger;
  random: () => number;
  /** Another holder owns the attempt: nothing more is written. */
  leaseLost(): boolean;
  /** The attempt is no longer this replica's to write (lease lost, detached): an outage is not waited out. */
  giveUp(): boolean;
  /** A write was refused for its stale fencing token. */
  stale(reason: string): void;
  /** A write committed usage: tell the observer what it added. */
  usageCommitted(usage: ReturnType<AttemptUsageMeter["committed"]>): void;
}

/**
 * The supervisor's writes, serialised on one promise chain and fenced: each
 * is one transaction that locks the session with the attempt's fencing token
 * and writes the buffered events, the usage if it changed, then its own part.
 * Events are published only after commit. A database outage is waited out
 * with the events kept in order; a stale token means another replica owns
 * the attempt now: the writer stops and drops what it had.
 */
export class FencedWriter {
  private buffer: NewSessionEvent[] = [];
  private usageDirty = false;
  private chain: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | null = null;
  /** Totals of the last token event written (a token event only when they moved). */
  private lastTokens = "";

  constructor(private readonly deps: FencedWriterDeps) {}

  /** Buffers events for the next write (a batched flush comes within `flushIntervalMs`). */
  emit(events: readonly NewSessionEvent[]): void {
    if (this.deps.leaseLost()) return;
    this.buffer.push(...events);
    this.scheduleFlush();
  }

  /** The meter's usage changed: written with the next flush. */
  usageChanged(): void {
    this.usageDirty = true;
    this.scheduleFlush();
  }

  /** Queues a write; resolves once it committed (or was dropped: the lease is gone), rejects when it failed. */
  enqueue(write: FencedWrite): Promise<void> {
    const run = this.chain.then(() => this.write(write));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** A write nobody waits for (a flush, a health change): a failure was logged and its events kept; unhandled, it would end the process. */
  post(write: FencedWrite): void {
    this.enqueue(write).catch(() => undefined);
  }

  /** Resolves once every write queued so far is done (or failed). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** No more batched flushes (the attempt's end writes what is left). */
  stopFlushes(): void {
    // The timer stays set: later events no longer schedule a flush of their own.
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.post(async () => undefined);
    }, this.deps.flushIntervalMs);
  }

  /** One fenced transaction: the buffered events, the usage, then `extra`. */
  private async write(extra: FencedWrite): Promise<void> {
    const { deps } = this;
    if (deps.leaseLost()) return;
    const events = this.buffer;
    this.buffer = [];
    const usageDirty = this.usageDirty;
    this.usageDirty = false;
    const usage = deps.meter.usage;
    const attempt = deps.attempt.number;
    try {
      // While the database is away the turn goes on and its events wait in the buffer (this batch first, in order).
      let tokensKey: string | null = null;
      const written = await retryThroughOutage(
        () =>
          deps.db.transaction(async (tx) => {
            tokensKey = null;
            const s = await lockSession(tx, deps.session.id, {
              tenantId: deps.session.tenantId,
              fencingToken: deps.attempt.fencingToken,
            });
            const out = await appendEvents(tx, s, events, attempt);
            if (usageDirty) {
              await updateSession(tx, s, { metrics: deps.meter.metrics() });
              await recordAttemptUsage(tx, s.tenantId, deps.attempt.id, usage);
              // A token event only when the totals moved (usage also changes with tool counts).
              const m = deps.meter.metrics();
              const key = JSON.stringify([m.tokens, m.costUsd]);
              if (key !== this.lastTokens) {
                tokensKey = key;
                out.push(
                  ...(await appendEvents(
                    tx,
                    s,
                    [{ type: "session.tokens", payload: { totals: m.tokens, cost: m.costUsd } }],
                    attempt,
                  )),
                );
              }
            }
            out.push(...((await extra(tx, s)) ?? []));
            return out;
          }),
        { what: "session write", log: deps.log, random: deps.random, giveUp: deps.giveUp },
      );
      // Remembered once committed: a try that rolled back must write its token event again.
      if (tokensKey !== null) this.lastTokens = tokensKey;
      deps.bus.publish(written);
      if (usageDirty) deps.usageCommitted(deps.meter.committed(usage));
    } catch (e) {
      if (e instanceof StaleFencingTokenError) {
        deps.stale(e.message);
        return;
      }
      // Keep what was not written for the next try, in order.
      this.buffer = [...events, ...this.buffer];
      this.usageDirty ||= usageDirty;
      deps.log.error({ err: coerceError(e).message }, "session write failed");
      throw e;
    }
  }
}
