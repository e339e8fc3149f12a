import {
  coerceError,
  computeInputExpiry,
  decideInputClose,
  type AskedInput,
  type AttemptHandle,
  type Clock,
  type InputDelivery,
  type InputRequest,
  type Session,
  type SessionEvent,
} from "@industrial/core";
import { closeInputRequests, insertInputRequest, markInputRequestDelivered, readInputRequests, readRepliesToDeliver, type Database, type Queryable } from "@industrial/db";
import type { Logger } from "./logger";

// The lease holder's side of input requests (docs/input-requests.md §3,
// Scheduler): records what OpenCode asks, forwards people's answers (written
// by any replica's API, found by the scheduler's tick), rejects what nobody
// answered in time, and holds the session's time limit while it waits.

type Write = (tx: Queryable, session: Session) => Promise<SessionEvent[] | void>;

export interface InputWaitsDeps {
  db: Database;
  session: { id: string; tenantId: string };
  attempt: number;
  agentId: string;
  /** The agent's `inputTimeoutSeconds`; 0 waits for as long as the session runs. */
  timeoutSeconds: number;
  clock: Clock;
  /** The supervisor's fenced write (events published after commit). */
  write(write: Write): Promise<void>;
  handle(): AttemptHandle | null;
  log: Logger;
  /** Whether any request waits for a person: the time limit stands still meanwhile. */
  waiting(on: boolean): void;
  /** A request left open (answered, expired, …) after `waitedSeconds`. */
  resolved?(kind: InputRequest["kind"], outcome: string, waitedSeconds: number): void;
}

interface Waiting {
  row: InputRequest;
  timer: NodeJS.Timeout | null;
}

/** What OpenCode receives for a stored answer. */
export function computeDelivery(row: InputRequest): InputDelivery | null {
  const r = row.reply;
  if (!r) return null;
  if (row.kind === "permission") return "reply" in r ? { openCodeRequestId: row.openCodeRequestId, kind: "permission", reply: r.reply, ...(r.message ? { message: r.message } : {}) } : null;
  if ("answers" in r) return { openCodeRequestId: row.openCodeRequestId, kind: "question", answers: r.answers };
  if ("reject" in r) return { openCodeRequestId: row.openCodeRequestId, kind: "question", reject: true };
  return null;
}

export class InputWaits {
  /** Open requests of this attempt, by OpenCode request id. */
  private readonly open = new Map<string, Waiting>();
  private delivering = false;
  private stopped = false;

  constructor(private readonly deps: InputWaitsDeps) {}

  async requested(ask: AskedInput): Promise<void> {
    let row: InputRequest | null = null;
    await this.deps.write(async (tx, s) => {
      const r = await insertInputRequest(tx, s, {
        ...ask,
        attempt: this.deps.attempt,
        agentId: this.deps.agentId,
        expiresAt: computeInputExpiry(this.deps.clock.now(), this.deps.timeoutSeconds),
      });
      row = r.request;
      return r.events;
    });
    const stored = row as InputRequest | null;
    // Known and answered already (a re-read after a restart): the tick delivers it.
    if (stored && (stored.status === "open" || (stored.deliveredAt === null && stored.reply))) this.track(stored);
  }

  private track(row: InputRequest): void {
    if (this.stopped || this.open.has(row.openCodeRequestId)) return;
    let timer: NodeJS.Timeout | null = null;
    if (row.status === "open" && row.expiresAt) {
      const inMs = Math.max(0, Date.parse(row.expiresAt) - this.deps.clock.now().getTime());
      timer = setTimeout(() => void this.expire(row).catch((e) => this.deps.log.warn({ err: coerceError(e).message }, "input request expiry failed")), inMs);
    }
    this.open.set(row.openCodeRequestId, { row, timer });
    this.deps.waiting(true);
  }

  private untrack(openCodeRequestId: string, outcome: string): void {
    const w = this.open.get(openCodeRequestId);
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    this.open.delete(openCodeRequestId);
    this.deps.resolved?.(w.row.kind, outcome, Math.max(0, (this.deps.clock.now().getTime() - Date.parse(w.row.createdAt)) / 1000));
    if (this.open.size === 0) this.deps.waiting(false);
  }

  /** Nobody answered in time: the row closes `expired` (unless an answer won the race) and OpenCode gets a reject that says so. */
  private async expire(row: InputRequest): Promise<void> {
    let closed: InputRequest | undefined;
    await this.deps.write(async (tx, s) => {
      const r = await closeInputRequests(tx, s, "expired", [row.id]);
      closed = r.requests[0];
      return r.events;
    });
    if (!closed) return;
    this.untrack(row.openCodeRequestId, "expired");
    // The stored reply (core computeExpiryReply) is what OpenCode gets; a dismissed question's follow-up says why.
    const delivery = computeDelivery(closed);
    if (delivery) await this.deps.handle()?.deliverInput("reject" in delivery ? { ...delivery, message: decideInputClose("timeout").message } : delivery);
    await markInputRequestDelivered(this.deps.db, this.deps.session, row.id);
  }

  /** Forwards the answers people wrote (the scheduler's tick saw some); one pass at a time. */
  async deliverReplies(): Promise<void> {
    if (this.delivering || this.stopped) return;
    this.delivering = true;
    try {
      for (const row of await readRepliesToDeliver(this.deps.db, this.deps.session)) {
        const delivery = computeDelivery(row);
        const handle = this.deps.handle();
        if (!handle) return;
        // Delivered, or OpenCode no longer holds it (its turn ended): either way there is nothing more to send.
        if (delivery) await handle.deliverInput(delivery);
        await markInputRequestDelivered(this.deps.db, this.deps.session, row.id);
        this.untrack(row.openCodeRequestId, row.status);
      }
    } catch (e) {
      // Tried again at the next tick.
      this.deps.log.warn({ err: coerceError(e).message }, "an answer could not be forwarded to OpenCode yet");
    } finally {
      this.delivering = false;
    }
  }

  /** OpenCode no longer holds these requests: open rows close `cancelled`, answered ones count as delivered. */
  async gone(openCodeRequestIds: readonly string[]): Promise<void> {
    const ids = new Set(openCodeRequestIds);
    await this.settle((row) => ids.has(row.openCodeRequestId));
  }

  /** OpenCode holds exactly these of the attempt's requests (a re-read): the others are gone. */
  async held(openCodeRequestIds: readonly string[]): Promise<void> {
    const ids = new Set(openCodeRequestIds);
    await this.settle((row) => !ids.has(row.openCodeRequestId));
  }

  private async settle(isGone: (row: InputRequest) => boolean): Promise<void> {
    const rows = (await readInputRequests(this.deps.db, this.deps.session, { attempt: this.deps.attempt })).filter(isGone);
    const open = rows.filter((r) => r.status === "open");
    if (open.length > 0)
      await this.deps.write(async (tx, s) => {
        const r = await closeInputRequests(tx, s, "cancelled", open.map((o) => o.id));
        return r.events;
      });
    for (const r of rows.filter((r) => r.status !== "open" && r.deliveredAt === null)) await markInputRequestDelivered(this.deps.db, this.deps.session, r.id);
    for (const r of rows) this.untrack(r.openCodeRequestId, r.status === "open" ? "cancelled" : r.status);
  }

  /** The attempt ended: no timer outlives it (its open rows close with the session's status change). */
  stop(): void {
    this.stopped = true;
    for (const w of this.open.values()) if (w.timer) clearTimeout(w.timer);
    this.open.clear();
  }
}
