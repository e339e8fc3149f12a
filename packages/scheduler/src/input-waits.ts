import {
  coerceError,
  computeInputExpiry,
  decideInputClose,
  type AskedInput,
  type AttemptHandle,
  type Clock,
  type InputDelivery,
  type InputRequest,
} from "@industrial/core";
import {
  closeInputRequests,
  findInputRequest,
  insertInputRequest,
  markInputRequestDelivered,
  readInputRequests,
  readRepliesToDeliver,
  type Database,
} from "@industrial/db";
import type { FencedWrite } from "./fenced-writer";
import type { Logger } from "./logger";

// The lease holder's side of input requests (docs/input-requests.md §3,
// Scheduler): records what OpenCode asks, forwards people's answers (written
// by any replica's API, found by the scheduler's tick), rejects what nobody
// answered in time, and holds the session's time limit while it waits.

export interface InputWaitsDeps {
  db: Database;
  session: { id: string; tenantId: string };
  attempt: number;
  agentId: string;
  /** The agent's `inputTimeoutSeconds`; 0 waits for as long as the session runs. */
  timeoutSeconds: number;
  clock: Clock;
  /** The supervisor's fenced write (events published after commit). */
  write(write: FencedWrite): Promise<void>;
  handle(): AttemptHandle | null;
  /** Whether this replica still holds the attempt (not detached, lease not lost): nothing is sent or written otherwise. */
  live(): boolean;
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
  if (row.kind === "permission")
    return "reply" in r
      ? {
          openCodeRequestId: row.openCodeRequestId,
          kind: "permission",
          reply: r.reply,
          ...(r.message ? { message: r.message } : {}),
        }
      : null;
  if ("answers" in r) return { openCodeRequestId: row.openCodeRequestId, kind: "question", answers: r.answers };
  // An expired question's reject tells the agent (in the prompt that follows it) that nobody answered.
  if ("reject" in r)
    return {
      openCodeRequestId: row.openCodeRequestId,
      kind: "question",
      reject: true,
      ...(row.status === "expired" ? { message: decideInputClose("timeout").message } : {}),
    };
  return null;
}

/** Tries of one answer OpenCode keeps refusing (not a 404: that counts as delivered) before it is given up. */
const MAX_DELIVERY_TRIES = 5;

export class InputWaits {
  /** Open requests of this attempt, by OpenCode request id. */
  private readonly open = new Map<string, Waiting>();
  private delivering = false;
  private stopped = false;
  private readonly failures = new Map<string, number>();

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
      timer = setTimeout(
        () =>
          void this.expire(row).catch((e) =>
            this.deps.log.warn({ err: coerceError(e).message }, "input request expiry failed"),
          ),
        inMs,
      );
    }
    this.open.set(row.openCodeRequestId, { row, timer });
    this.deps.waiting(true);
  }

  private untrack(openCodeRequestId: string, outcome: string): void {
    const w = this.open.get(openCodeRequestId);
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    this.open.delete(openCodeRequestId);
    this.deps.resolved?.(
      w.row.kind,
      outcome,
      Math.max(0, (this.deps.clock.now().getTime() - Date.parse(w.row.createdAt)) / 1000),
    );
    if (this.open.size === 0) this.deps.waiting(false);
  }

  /** Nobody answered in time: the row closes `expired` with its reject (unless an answer won the race), which the next delivery sends. */
  private async expire(row: InputRequest): Promise<void> {
    if (!this.deps.live()) return;
    let still: InputRequest | undefined;
    await this.deps.write(async (tx, s) => {
      const r = await closeInputRequests(tx, s, "expired", [row.id]);
      still = r.requests[0] ?? (await findInputRequest(tx, s.tenantId, row.id))?.request;
      return r.events;
    });
    // Closed some other way meanwhile (cancelled): nothing to send.
    if (still && still.deliveredAt !== null) this.untrack(row.openCodeRequestId, still.status);
    await this.deliverReplies();
  }

  /** Forwards the answers people wrote and the rejects of expired requests (the scheduler's tick saw some); one pass at a time. */
  async deliverReplies(): Promise<void> {
    if (this.delivering || this.stopped || !this.deps.live()) return;
    this.delivering = true;
    try {
      for (const row of await readRepliesToDeliver(this.deps.db, this.deps.session)) {
        const handle = this.deps.handle();
        if (!handle || !this.deps.live()) return;
        if (!(await this.deliverOne(handle, row))) continue;
        await this.markDelivered(row.id);
        this.untrack(row.openCodeRequestId, row.status);
      }
    } catch (e) {
      // Tried again at the next tick.
      this.deps.log.warn({ err: coerceError(e).message }, "input requests' answers could not be read or marked");
    } finally {
      this.delivering = false;
    }
  }

  /** Whether the row is done with: delivered, gone from OpenCode (404), or refused too often. */
  private async deliverOne(handle: AttemptHandle, row: InputRequest): Promise<boolean> {
    const delivery = computeDelivery(row);
    if (!delivery) return true;
    try {
      await handle.deliverInput(delivery);
      return true;
    } catch (e) {
      const err = coerceError(e);
      // Not attached yet (an adopter opening its workspace): no failure, the next tick tries again.
      if (err.name === "NotAttachedYet") return false;
      const tries = (this.failures.get(row.id) ?? 0) + 1;
      this.failures.set(row.id, tries);
      this.deps.log.warn(
        { err: err.message, requestId: row.id, tries },
        "an answer could not be forwarded to OpenCode",
      );
      return tries >= MAX_DELIVERY_TRIES;
    }
  }

  private markDelivered(id: string): Promise<void> {
    return this.deps.write(async (tx) => {
      await markInputRequestDelivered(tx, this.deps.session, id);
    });
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

  /** Read and closed in one fenced write, queued behind the inserts the driver asked for before. */
  private async settle(isGone: (row: InputRequest) => boolean): Promise<void> {
    if (!this.deps.live()) return;
    let settled: InputRequest[] = [];
    await this.deps.write(async (tx, s) => {
      const rows = (await readInputRequests(tx, s, { attempt: this.deps.attempt })).filter(isGone);
      const open = rows.filter((r) => r.status === "open");
      const closed = await closeInputRequests(
        tx,
        s,
        "cancelled",
        open.map((o) => o.id),
      );
      for (const r of rows.filter((r) => r.status !== "open" && r.deliveredAt === null))
        await markInputRequestDelivered(tx, s, r.id);
      settled = rows;
      return closed.events;
    });
    for (const r of settled) this.untrack(r.openCodeRequestId, r.status === "open" ? "cancelled" : r.status);
  }

  /** The attempt ended: no timer outlives it (its open rows close with the session's status change). */
  stop(): void {
    this.stopped = true;
    for (const w of this.open.values()) if (w.timer) clearTimeout(w.timer);
    this.open.clear();
  }
}
