import { randomUUID } from "node:crypto";
import { parseWsRoom, WsCloseCode, WsErrorCode, type WsClientMessage, type WsIssue } from "@industrial/contracts";
import { assertNever, coerceError, ErrorCode, isOutageError, type SessionEvent } from "@industrial/core";
import { findSession, listEvents, readFirstRetainedSeq } from "@industrial/db";
import type { Socket } from "node:net";
import type { RawData, WebSocket } from "ws";
import type { WsPrincipal } from "./auth";
import { decodeClientFrame } from "./client-frames";
import { frame, sessionEventFrames, type EventFrames, type Frame } from "./frames";
import type { WsHost } from "./host";
import { WsSendBuffer } from "./send-buffer";
import { SessionStream, type SessionStreamIo } from "./session-stream";

interface SessionRoom {
  stream: SessionStream;
  unsubscribe: () => void;
}

/**
 * One client: its rooms, its send buffer and its liveness. Client frames are
 * validated one by one; subscribe / unsubscribe / resume run in arrival order
 * (one promise chain), so a resume never overtakes the subscription before it.
 */
export class WsConnection {
  readonly id = randomUUID();
  private readonly rooms = new Map<string, SessionRoom | null>();
  private readonly out: WsSendBuffer;
  private chain: Promise<unknown> = Promise.resolve();
  private closing = false;
  private awaitingPong = false;
  private missedPongs = 0;
  /** `hello` went out: no other frame may precede it. */
  private greeted = false;

  constructor(
    private readonly host: WsHost<WsConnection>,
    private readonly socket: WebSocket,
    readonly principal: WsPrincipal,
    private readonly endpoint: { room: string; after: number | null },
    /** The upgraded TCP socket under `socket`: corked while a burst is sent. */
    tcp: Socket | null = null,
  ) {
    this.out = new WsSendBuffer(socket, host.options, tcp);
    socket.on("message", (data, isBinary) => this.onMessage(data, isBinary));
    socket.on("pong", () => {
      this.awaitingPong = false;
      this.missedPongs = 0;
    });
    socket.on("close", () => this.dispose());
  }

  get tenantId(): string {
    return this.principal.tenantId;
  }

  get roomNames(): string[] {
    return [...this.rooms.keys()];
  }

  /** The session rooms' streams, by session id. */
  *sessionStreams(): Iterable<[string, SessionStream]> {
    for (const [name, r] of this.rooms) if (r) yield [name.slice("session:".length), r.stream];
  }

  /** Subscribes the endpoint's room; `hello` goes out once it is in place (first frame), before any replay. */
  open(): void {
    this.enqueue(async () => {
      try {
        if (!(await this.subscribe(this.endpoint.room, this.endpoint.after, "hello")) && !this.closing)
          this.close(WsCloseCode.NOT_FOUND, `${this.endpoint.room} not found`);
      } catch (e) {
        if (this.closeForOutage(e, "the database cannot be reached right now; reconnect in a few seconds")) return;
        this.host.log.error(
          { clientId: this.id, room: this.endpoint.room, err: coerceError(e).message },
          "websocket connection could not start",
        );
        this.error(ErrorCode.INTERNAL, "internal error");
        this.close(WsCloseCode.INTERNAL, "internal error");
      }
    });
  }

  /** One ping period: drop the client after two unanswered pings, else ping and send a `heartbeat`. */
  tick(): void {
    if (this.closing || this.socket.readyState !== this.socket.OPEN) return;
    if (this.awaitingPong && ++this.missedPongs >= 2) {
      this.host.counters.evicted++;
      this.host.log.info(
        { clientId: this.id, rooms: this.roomNames },
        "websocket client dropped: two pings unanswered",
      );
      this.closing = true;
      this.socket.terminate();
      return;
    }
    this.awaitingPong = true;
    this.socket.ping();
    if (this.greeted) this.send(frame("heartbeat", { serverTime: new Date().toISOString() }));
  }

  /** Sends a frame unless the connection is closing; past the buffer limit the client is a slow consumer. */
  send(f: Frame | EventFrames): boolean {
    if (this.closing) return false;
    if (!this.out.fits(f.bytes)) {
      this.slowConsumer();
      return false;
    }
    this.host.framesMoved("out", this.out.write(f));
    return true;
  }

  error(code: string, message: string, details?: WsIssue[]): void {
    this.send(frame("error", { code, message, ...(details?.length ? { details } : {}) }));
  }

  /** Closes with a close frame; a peer that does not finish the handshake in time is cut. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.releaseRooms();
    this.socket.close(code, reason.slice(0, 120));
    const cut = setTimeout(() => this.socket.terminate(), this.host.options.closeGraceMs);
    cut.unref();
    this.socket.once("close", () => clearTimeout(cut));
  }

  private slowConsumer(): void {
    this.host.counters.slowConsumers++;
    this.host.log.warn(
      { clientId: this.id, rooms: this.roomNames, buffered: this.out.buffered, held: this.out.held },
      "websocket slow consumer closed",
    );
    // Sent past the limit on purpose: it is the last frame, and it says how to come back.
    this.out.writeLast(
      frame("error", {
        code: WsErrorCode.SLOW_CONSUMER,
        message: `the connection's send buffer passed ${this.host.options.bufferLimitBytes} bytes; reconnect with ?after=<last seq received> (or send resume) to continue`,
      }),
    );
    this.close(WsCloseCode.SLOW_CONSUMER, "slow consumer");
  }

  /** The database is away: UNAVAILABLE and 1013 (try again later), so clients reconnect and resume instead of treating it as a fault. */
  private closeForOutage(e: unknown, message: string): boolean {
    if (!isOutageError(e)) return false;
    this.host.log.warn({ clientId: this.id, err: coerceError(e).message }, "websocket closed: database unavailable");
    this.error(ErrorCode.UNAVAILABLE, message);
    this.close(WsCloseCode.TRY_AGAIN_LATER, "database unavailable");
    return true;
  }

  private enqueue(step: () => Promise<unknown>): void {
    this.chain = this.chain.then(step).catch((e) => {
      this.host.log.error({ clientId: this.id, err: coerceError(e).message }, "websocket step failed");
      this.error(ErrorCode.INTERNAL, "internal error");
    });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    // Frames sent before the hello are answered after it: hello stays the first frame.
    if (!this.greeted) return this.enqueue(async () => this.onMessage(data, isBinary));
    this.host.framesMoved("in", 1);
    const decoded = decodeClientFrame(data, isBinary);
    if (!decoded.ok) return this.error(ErrorCode.INVALID_INPUT, decoded.error.message, decoded.error.issues);
    this.handle(decoded.message);
  }

  private handle(m: WsClientMessage): void {
    switch (m.type) {
      case "ping":
        this.send(frame("heartbeat", { serverTime: new Date().toISOString() }));
        return;
      case "subscribe":
        return this.enqueue(() => this.subscribe(m.payload.room, m.payload.afterSeq ?? null, "subscribed"));
      case "unsubscribe":
        return this.enqueue(async () => this.unsubscribe(m.payload.room));
      case "resume": {
        const room =
          m.payload.room ?? (parseWsRoom(this.endpoint.room)?.kind === "session" ? this.endpoint.room : null);
        if (!room)
          return this.error(ErrorCode.INVALID_INPUT, "payload.room: required on an endpoint that is not a session's", [
            { path: "payload.room", reason: "required" },
          ]);
        return this.enqueue(() => this.subscribe(room, m.payload.afterSeq, "subscribed"));
      }
      default:
        assertNever(m, "client message");
    }
  }

  private ack(kind: "hello" | "subscribed", room: string): void {
    if (kind === "hello") {
      this.greeted = true;
      this.send(
        frame("hello", {
          clientId: this.id,
          rooms: this.roomNames,
          serverTime: new Date().toISOString(),
          heartbeatIntervalMs: this.host.options.pingIntervalMs,
        }),
      );
    } else this.send(frame("subscribed", { room, rooms: this.roomNames }));
  }

  /** Joins a room after checking it exists in the tenant; false (with an error frame) when it cannot. */
  private async subscribe(name: string, afterSeq: number | null, ack: "hello" | "subscribed"): Promise<boolean> {
    const room = parseWsRoom(name)!;
    if (afterSeq !== null && room.kind !== "session") {
      this.error(ErrorCode.INVALID_INPUT, "payload.afterSeq: only session rooms replay", [
        { path: "payload.afterSeq", reason: "only session rooms replay" },
      ]);
      return false;
    }
    if (this.rooms.has(name)) {
      if (afterSeq === null) return (this.ack(ack, name), true);
      this.leave(name); // a resume: the room is replayed from afterSeq by a new stream
    }
    if (this.rooms.size >= this.host.options.maxRoomsPerConnection) {
      this.error(
        WsErrorCode.TOO_MANY_ROOMS,
        `a connection may hold ${this.host.options.maxRoomsPerConnection} rooms; unsubscribe one first`,
      );
      return false;
    }
    if (room.kind === "session") return this.subscribeSession(name, room.id, afterSeq, ack);
    const found = await this.host.exists(this.principal, room);
    if (this.closing) return false;
    if (!found) return this.notFound(name);
    this.rooms.set(name, null);
    this.host.join(this, name);
    this.ack(ack, name);
    this.host.joined(this, room);
    return true;
  }

  private async subscribeSession(
    name: string,
    sessionId: string,
    afterSeq: number | null,
    ack: "hello" | "subscribed",
  ): Promise<boolean> {
    const stream = new SessionStream(
      this.streamIo(sessionId),
      this.host.options.replayPageSize,
      this.host.options.gapGraceMs,
    );
    // Live first, then the log: what commits in between is held by the stream, never lost.
    const unsubscribe = this.host.bus.subscribe(sessionId, stream.onLive);
    const replay = afterSeq !== null;
    const [session, firstSeq] = await Promise.all([
      findSession(this.host.db, this.tenantId, sessionId),
      // Events the tenant's retention removed are not a gap: a replay starts at the first one kept, and says so.
      replay ? readFirstRetainedSeq(this.host.db, this.tenantId, sessionId) : null,
    ]).catch((e) => {
      unsubscribe();
      stream.close();
      throw e;
    });
    if (!session || this.closing) {
      unsubscribe();
      stream.close();
      return session ? false : this.notFound(name);
    }
    this.rooms.set(name, { stream, unsubscribe });
    this.host.join(this, name);
    this.ack(ack, name);
    const from = replay ? Math.max(afterSeq, (firstSeq ?? 1) - 1) : session.lastEventSeq;
    const pruned = replay && from > afterSeq ? { firstSeq: from + 1 } : {};
    await stream.start(from, replay, (lastSeq) => {
      if (replay) this.send(frame("replayed", { room: name, afterSeq, lastSeq, ...pruned }));
    });
    return true;
  }

  private notFound(name: string): false {
    this.error(ErrorCode.NOT_FOUND, `${name} not found`);
    return false;
  }

  private unsubscribe(name: string): void {
    this.leave(name);
    this.send(frame("unsubscribed", { room: name, rooms: this.roomNames }));
  }

  private leave(name: string): void {
    if (!this.rooms.has(name)) return;
    const r = this.rooms.get(name);
    this.rooms.delete(name);
    r?.unsubscribe();
    r?.stream.close();
    this.host.leave(this, name);
  }

  private streamIo(sessionId: string): SessionStreamIo {
    return {
      readLog: (after, n) => listEvents(this.host.db, this.tenantId, sessionId, after, n),
      deliver: (e) => this.send(sessionEventFrames(e)),
      hold: (e: SessionEvent, sign) => {
        if (this.out.hold(sessionEventFrames(e).bytes, sign)) return true;
        this.slowConsumer();
        return false;
      },
      congested: () => this.out.congested(),
      drained: () => this.out.drained(() => this.closing),
      gap: () => this.host.counters.gapReads++,
      later: (fn, ms) => {
        const t = setTimeout(fn, ms);
        return () => clearTimeout(t);
      },
      hole: (fromSeq, toSeq) =>
        this.host.log.warn(
          { clientId: this.id, sessionId, fromSeq, toSeq },
          "session events published but missing from the log: skipped",
        ),
      failed: (e) => {
        if (
          this.closeForOutage(
            e,
            `the database cannot be reached right now; reconnect with ?after=<last seq received> in a few seconds`,
          )
        )
          return;
        this.host.log.error({ clientId: this.id, sessionId, err: coerceError(e).message }, "websocket replay failed");
        this.error(
          ErrorCode.INTERNAL,
          `reading the event log of session ${sessionId} failed; reconnect with ?after=<last seq received>`,
        );
        this.close(WsCloseCode.INTERNAL, "event log unavailable");
      },
    };
  }

  private releaseRooms(): void {
    for (const name of [...this.rooms.keys()]) this.leave(name);
  }

  private dispose(): void {
    this.closing = true;
    this.releaseRooms();
    this.host.closed(this);
  }
}
