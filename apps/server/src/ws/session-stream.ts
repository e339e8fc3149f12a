import type { SessionEvent } from "@industrial/core";

/** What a stream needs from its connection and the log; tests pass their own. */
export interface SessionStreamIo {
  /** The session's events after `afterSeq`, in seq order, at most `limit`. */
  readLog(afterSeq: number, limit: number): Promise<SessionEvent[]>;
  /** Sends one event; false when the connection takes no more (closed, or past its limit and being closed). */
  deliver(event: SessionEvent): boolean;
  /** A live event is held (`+1`) or released (`-1`) while the stream catches up; false: the connection is past its limit. */
  hold(event: SessionEvent, sign: 1 | -1): boolean;
  /** The send buffer is too full for the replay to add to it (live events are not held back by this). */
  congested(): boolean;
  /** Resolves when the send buffer has drained enough for the replay to go on (at once when closed). */
  drained(): Promise<void>;
  /** A live event skipped seqs and the missing ones did not follow within the grace: the stream reads the log. */
  gap(): void;
  /** Runs `fn` after `ms`; returns the cancel function (a timer; tests pass their own). */
  later(fn: () => void, ms: number): () => void;
  /** Published seqs the log does not have (not expected: events are published after commit); the stream skips them. */
  hole(fromSeq: number, toSeq: number): void;
  /** Reading the log failed: order can no longer be promised, the connection should end. */
  failed(error: unknown): void;
}

/**
 * One session room of one connection: delivers the session's events in seq
 * order, each exactly once, with no gap — whatever order the bus publishes
 * them in.
 *
 * Ordering constraint: the owner subscribes `onLive` to the bus *before*
 * calling `start`, so an event committed while the log is read is either in
 * what the log returns or held here; held events are flushed after the log,
 * skipping seqs already sent. A live event that skips a seq (two writers
 * published out of commit order) is held; if the missing ones do not arrive
 * within `gapGraceMs` (usually they follow within a millisecond), the stream
 * reads them from the log: the log has them, since seqs are taken under the
 * session's row lock and an event is published only after its transaction
 * committed.
 */
export class SessionStream {
  private last = 0;
  private syncing = true;
  private closed = false;
  private readonly held = new Map<number, SessionEvent>();
  /** Set while a gap waits for its missing events to arrive live. */
  private cancelGrace: (() => void) | null = null;

  constructor(
    private readonly io: SessionStreamIo,
    private readonly pageSize: number,
    private readonly gapGraceMs: number,
  ) {}

  /** The last seq delivered. */
  get lastSeq(): number {
    return this.last;
  }

  /** The bus listener. */
  readonly onLive = (e: SessionEvent): void => {
    if (this.closed || e.seq <= this.last || this.held.has(e.seq)) return;
    if (!this.syncing && e.seq === this.last + 1) {
      this.send(e);
      return;
    }
    this.held.set(e.seq, e);
    if (!this.io.hold(e, 1)) return this.close();
    if (this.cancelGrace) {
      // Waiting out a gap: the missing events may just have come.
      this.flushHeld();
      if (this.held.size === 0) this.endGrace(false);
      return;
    }
    if (!this.syncing) {
      // A gap: give the missing events a moment to arrive live, then read them from the log.
      this.syncing = true;
      this.cancelGrace = this.io.later(() => this.endGrace(true), this.gapGraceMs);
    }
  };

  private endGrace(readLog: boolean): void {
    this.cancelGrace?.();
    this.cancelGrace = null;
    if (!readLog) {
      this.syncing = false;
      return;
    }
    if (this.closed) return;
    this.io.gap();
    void this.sync(false, null);
  }

  /**
   * Replays the log after `afterSeq` when `replay` is set (otherwise starts
   * live from it), then delivers what was held. `caughtUp` runs, synchronously,
   * at the moment the stream turns live: a frame it sends precedes every live event.
   */
  start(afterSeq: number, replay: boolean, caughtUp?: (lastSeq: number) => void): Promise<void> {
    this.last = afterSeq;
    return this.sync(replay, caughtUp ?? null);
  }

  /**
   * The log has reached `seq` (a periodic check): if the stream is live and
   * behind, a publish was lost — read the rest from the log.
   */
  catchUp(seq: number): void {
    if (this.closed || this.syncing || seq <= this.last) return;
    this.syncing = true;
    this.io.gap();
    void this.sync(true, null);
  }

  /** Stops delivering and releases what is held. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelGrace?.();
    this.cancelGrace = null;
    for (const e of this.held.values()) this.io.hold(e, -1);
    this.held.clear();
  }

  private send(e: SessionEvent): boolean {
    if (!this.io.deliver(e)) {
      this.close();
      return false;
    }
    this.last = e.seq;
    return true;
  }

  /** Seqs before `next` are missing from the log (not expected): report them and move on. */
  private skip(next: number): void {
    this.io.hole(this.last + 1, next - 1);
    this.last = next - 1;
  }

  /** Delivers held events that continue the sequence; drops those already sent. */
  private flushHeld(): void {
    for (const [seq, e] of this.held)
      if (seq <= this.last) {
        this.held.delete(seq);
        this.io.hold(e, -1);
      }
    for (let next = this.held.get(this.last + 1); next && !this.closed; next = this.held.get(this.last + 1)) {
      this.held.delete(next.seq);
      this.io.hold(next, -1);
      this.send(next);
    }
  }

  private async sync(readToEnd: boolean, caughtUp: ((lastSeq: number) => void) | null): Promise<void> {
    try {
      for (;;) {
        if (this.closed) return;
        this.flushHeld();
        if (this.closed) return;
        if (!readToEnd && this.held.size === 0) {
          // No await between this check and the flag: no live event can slip in between.
          this.syncing = false;
          caughtUp?.(this.last);
          return;
        }
        const page = await this.io.readLog(this.last, this.pageSize);
        if (this.closed) return;
        for (const e of page) {
          if (this.io.congested()) await this.io.drained();
          if (this.closed) return;
          if (e.seq <= this.last) continue;
          if (e.seq > this.last + 1) this.skip(e.seq);
          if (!this.send(e)) return;
        }
        if (page.length < this.pageSize) {
          readToEnd = false;
          if (page.length === 0 && this.held.size > 0 && !this.held.has(this.last + 1))
            this.skip(Math.min(...this.held.keys()));
        }
      }
    } catch (e) {
      if (this.closed) return;
      this.close();
      this.io.failed(e);
    }
  }
}
