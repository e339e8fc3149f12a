import type { OcClient } from "./ports";

/** How often a waiting attempt asks OpenCode's status list whether its turn is still running. */
const STATUS_POLL_MS = 3000;

export interface IdleWatchDeps {
  client(): OcClient | null;
  ocSessionId(): string | null;
  /** The managed runner's process died under the turn and was restarted: the turn ended with it. */
  runnerRestarted(): boolean;
}

/**
 * When the attempt's OpenCode turn is over. Events say so (`session.idle`, an
 * idle status after busy), but the ones of a stream's gap are lost, so
 * OpenCode's status list is asked too: polled while waiting, re-read after a
 * reconnection. A new turn must be seen busy before an idle counts, and a
 * status read asked during one turn says nothing of the next (`turn`).
 * Being idle is not the outcome: that is decided from the messages re-read
 * afterwards (AGENTS.md).
 */
export class IdleWatch {
  /** Turns prompted so far: a status read asked during one turn says nothing of the next. */
  turn = 0;
  /** A prompt went out (or a re-attach found the turn going on). */
  prompted = false;
  /** The current turn was seen busy: an idle before that is the previous turn's. */
  busySeen = false;
  /** What told that the turn was over (named when it ended without an answer). */
  via = "none";
  private idle = false;
  private waiter: (() => void) | null = null;

  constructor(private readonly deps: IdleWatchDeps) {}

  /** A prompt starts a new turn: it must be seen busy before an idle counts. */
  newTurn(): void {
    this.busySeen = false;
    this.turn++;
  }

  /**
   * The turn goes on (a follow-up, the next model, a restarted runner): its
   * next idle is waited for afresh. Nothing seen or asked before counts for it:
   * a resync asked while the dead runner's turn was busy may answer "idle" after
   * this (the restarted process knows no running turn), which would end the
   * continuation before it began.
   */
  rearm(): void {
    this.idle = false;
    this.via = "none";
    this.busySeen = false;
    this.turn++;
  }

  /** The turn is over (or the attempt stops waiting for it); the first cause is the one remembered. */
  mark(via = "event"): void {
    if (!this.idle) this.via = via;
    this.idle = true;
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Resolves once the turn is over. */
  wait(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => {
      // Safety net: events can be missed across a reconnect; OpenCode's status list is the truth.
      let absent = 0;
      const poll = setInterval(async () => {
        if (this.idle) return clearInterval(poll);
        if (this.deps.runnerRestarted()) return this.mark("runner restarted");
        const turn = this.turn;
        const busyAsked = this.busySeen;
        try {
          const st = await this.deps.client()?.sessionStatus();
          // Asked before a new turn was prompted (a re-attach's continuation): says nothing of that turn.
          if (turn !== this.turn) return;
          const id = this.deps.ocSessionId();
          // Busy seen before asking and now absent; or absent twice in a row (the whole turn fell into a stream outage).
          absent = st && id && this.prompted && !st[id] ? absent + 1 : 0;
          if (absent >= (busyAsked ? 1 : 2)) this.mark("status poll");
        } catch {
          // the stream status handler reports an unreachable runner
        }
      }, STATUS_POLL_MS);
      this.waiter = () => {
        clearInterval(poll);
        resolve();
      };
    });
  }

  /**
   * The event stream reconnected: the events of its gap are lost, so
   * OpenCode's status list says whether the turn ended meanwhile (unless a new
   * turn was prompted while it was asked: a restarted runner's re-attach does).
   */
  resync(): void {
    const turn = this.turn;
    const busyAsked = this.busySeen;
    void this.deps
      .client()
      ?.sessionStatus()
      .then((st) => {
        const id = this.deps.ocSessionId();
        // Only a read asked once the turn was seen busy tells that it ended.
        if (turn === this.turn && busyAsked && id && this.prompted && !st[id]) this.mark("resync");
      })
      .catch(() => undefined);
  }
}
