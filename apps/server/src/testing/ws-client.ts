import {
  WsServerMessageSchema,
  type WsServerMessage,
  type WsServerMessageType,
  type WsServerPayloads,
} from "@industrial/contracts";
import { DEFAULT_TENANT_ID, type NewSessionEvent, type SessionEvent } from "@industrial/core";
import { appendEvents, lockSession } from "@industrial/db";
import { bearer } from "@industrial/testkit";
import WebSocket from "ws";
import type { Orchestrator } from "../main";

type Of<K extends WsServerMessageType> = Extract<WsServerMessage, { type: K }> & { payload: WsServerPayloads[K] };

/**
 * A real `ws` client for integration tests: records every frame (parsed with
 * the contract's schema unless `validate: false`), waits for frames and for
 * the close.
 */
export class TestWsClient {
  readonly frames: WsServerMessage[] = [];
  /** The seq of the last session event frame received (0: none). */
  lastSeq = 0;
  /** Frames that arrive after `stopRecording()` are dropped (a page that went away while its socket closes). */
  private recording = true;
  /** Called with every frame after it is recorded. */
  onFrame: ((f: WsServerMessage) => void) | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly socket: WebSocket,
    validate: boolean,
  ) {
    socket.on("message", (data) => {
      if (!this.recording) return;
      const json = JSON.parse(data.toString()) as unknown;
      const f = validate ? WsServerMessageSchema.parse(json) : (json as WsServerMessage);
      this.frames.push(f);
      if (f.seq !== undefined && f.type.startsWith("session.")) this.lastSeq = f.seq;
      this.onFrame?.(f);
      for (const w of this.waiters) w();
    });
    this.closed = new Promise((resolve) =>
      socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    void this.closed.then(() => this.waiters.forEach((w) => w()));
  }

  /**
   * Connects to `url` (http:// or ws://, path and query included); resolves once the socket is open.
   * As the test admin (an Authorization header) unless `key` says otherwise (null: no header); `headers` adds others (a cookie, an Origin).
   */
  static connect(
    url: string,
    options: {
      protocols?: string[];
      autoPong?: boolean;
      validate?: boolean;
      key?: string | null;
      headers?: Record<string, string>;
    } = {},
  ): Promise<TestWsClient> {
    const headers = { ...(options.key === null ? {} : bearer(options.key)), ...options.headers };
    const socket = new WebSocket(url.replace(/^http/, "ws"), options.protocols ?? [], {
      autoPong: options.autoPong ?? true,
      headers,
    });
    const client = new TestWsClient(socket, options.validate ?? true);
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(client));
      socket.once("error", reject);
    });
  }

  /** Frames of one type, in arrival order. */
  of<K extends WsServerMessageType>(type: K): Of<K>[] {
    return this.frames.filter((f) => f.type === type) as Of<K>[];
  }

  /** Session event frames' seqs, in arrival order. */
  seqs(): number[] {
    return this.frames.flatMap((f) => (f.type.startsWith("session.") && f.seq !== undefined ? [f.seq] : []));
  }

  stopRecording(): void {
    this.recording = false;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first frame (from `from`) that matches; rejects on close or after `timeoutMs`. */
  async waitFor<K extends WsServerMessageType>(
    type: K,
    match: (f: Of<K>) => boolean = () => true,
    options: { timeoutMs?: number; from?: number } = {},
  ): Promise<Of<K>> {
    const found = () =>
      (this.frames.slice(options.from ?? 0).find((f) => f.type === type && match(f as Of<K>)) as Of<K> | undefined) ??
      null;
    return this.until(found, `a ${type} frame`, options.timeoutMs);
  }

  /** Resolves when `check` returns something (checked at every frame and at close). */
  until<T>(check: () => T | null, what: string, timeoutMs = 20_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = () => {
        const v = check();
        if (v !== null) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== done);
          resolve(v);
        } else if (this.socket.readyState === WebSocket.CLOSED) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== done);
          reject(new Error(`closed while waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-3))}`));
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(
          new Error(
            `timed out waiting for ${what}; ${this.frames.length} frames, last: ${JSON.stringify(this.frames.slice(-3))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(done);
      done();
    });
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING)
      this.socket.close();
    return this.closed;
  }
}

/**
 * Appends `session.log` events to a session's log the way the supervisor
 * does (row lock, consecutive seqs, one transaction) and publishes them on
 * the orchestrator's bus after the commit.
 */
export async function appendLogEvents(
  orc: Pick<Orchestrator, "db" | "bus">,
  sessionId: string,
  texts: string[],
  publish: (events: SessionEvent[]) => void = (events) => orc.bus.publish(events),
): Promise<SessionEvent[]> {
  const events = texts.map((text) => ({
    type: "session.log" as const,
    payload: { level: "info" as const, source: "assistant" as const, text },
  }));
  return appendTestEvents(orc, sessionId, events, publish);
}

/** Appends any session events (`{type, payload}`) as `appendLogEvents` does, and publishes them. */
export async function appendTestEvents(
  orc: Pick<Orchestrator, "db" | "bus">,
  sessionId: string,
  events: NewSessionEvent[],
  publish: (events: SessionEvent[]) => void = (written) => orc.bus.publish(written),
): Promise<SessionEvent[]> {
  const written = await orc.db.transaction(async (tx) =>
    // The harness's sessions are the default tenant's (its admin key's).
    appendEvents(tx, await lockSession(tx, sessionId, { tenantId: DEFAULT_TENANT_ID }), events, null),
  );
  publish(written);
  return written;
}
