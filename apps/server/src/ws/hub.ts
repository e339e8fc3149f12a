import { isSessionsRoomEventType, WsCloseCode, type WsRoom } from "@industrial/contracts";
import { coerceError, ErrorCode, type SessionEvent } from "@industrial/core";
import {
  batchReadLastEventSeqs,
  bypassTenantWall,
  findAgent,
  findSessionTenant,
  getTask,
  listAgents,
  type Database,
} from "@industrial/db";
import type { EventBus, Notice, NoticeBus } from "@industrial/scheduler";
import type { Logger } from "pino";
import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import { toAgentView } from "../services/agents";
import { createAgentWatch } from "./agent-watch";
import type { WsAuthenticate, WsPrincipal } from "./auth";
import { WsConnection } from "./connection";
import { frame, inboxFrame, sessionEventFrames, type Frame } from "./frames";
import type { WsCounters, WsHost } from "./host";
import type { WsOptions } from "./options";
import { createSessionFeed } from "./session-feed";
import { createSystemFeed, type Readiness } from "./system-feed";

export interface WsDeps {
  db: Database;
  /** Session events (committed, with their seq). */
  bus: EventBus;
  /** Agent and task notices. */
  notices: NoticeBus;
  authenticate: WsAuthenticate;
  /** What `/health/ready` answers: sent as `system.health`. */
  readiness: () => Promise<Readiness>;
  logger: Logger;
  options: WsOptions;
  /** Told the frames that go in and out (metrics). */
  observeFrames?: (direction: "in" | "out", frames: number) => void;
  /** Of these API key ids, the ones that stopped working: their connections are closed (1008). */
  unusableKeys?: (keyIds: readonly string[]) => Promise<string[]>;
}

const isAgentRoom = (room: string) => room === "agents" || room.startsWith("agent:");
/** Rooms fed from every session event of the bus (the session feed runs while one of them has a listener). */
const needsFeed = (room: string) => room === "sessions" || room === "inbox" || isAgentRoom(room);

/**
 * This replica's WebSocket connections and their rooms. Session rooms listen
 * to the bus themselves (each connection keeps its own order); the hub fans
 * out the `sessions` feed (status-level events only), notices, `system.*`,
 * and runs the ping period.
 */
export class WsHub implements WsHost<WsConnection> {
  readonly counters: WsCounters = { accepted: 0, refused: 0, slowConsumers: 0, evicted: 0, gapReads: 0 };
  readonly log: Logger;
  private readonly connections = new Set<WsConnection>();
  private readonly byRoom = new Map<string, Set<WsConnection>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly feed;
  private readonly agents;
  private readonly system;
  private readonly unsubscribeNotices: () => void;
  /** Routing reads every tenant's sessions (which tenant's rooms an event goes to, how far rooms are behind). */
  private readonly routing;

  constructor(private readonly deps: WsDeps) {
    this.routing = bypassTenantWall(
      deps.db,
      "WebSocket hub: routes every tenant's session events to that tenant's rooms",
    );
    this.log = deps.logger.child({ component: "ws" });
    const onError = (e: unknown) => this.log.warn({ err: coerceError(e).message }, "websocket feed step failed");
    this.feed = createSessionFeed({
      bus: deps.bus,
      tenantOf: (id) => findSessionTenant(this.routing, id),
      deliver: (tenantId, e) => this.onSessionEvent(tenantId, e),
      onError,
    });
    this.agents = createAgentWatch({
      listAgents: async (tenantId) => (await listAgents(deps.db, tenantId)).map((a) => toAgentView(a, new Date())),
      watched: () => this.tenantsIn(isAgentRoom),
      deliver: (tenantId, type, payload) =>
        this.deliver(tenantId, [`agent:${payload.id}`, "agents"], frame(type, payload as never)),
      debounceMs: deps.options.agentRefreshDebounceMs,
      onError,
    });
    this.system = createSystemFeed({
      db: deps.db,
      readiness: deps.readiness,
      connections: (tenantId) => [...this.connections].filter((c) => c.tenantId === tenantId).length,
      deliver: (tenantId, f) => this.deliver(tenantId, ["system"], f),
      onError,
    });
    this.unsubscribeNotices = deps.notices.subscribe((n) => this.onNotice(n));
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(deps.options.pingIntervalMs, () => this.connections.forEach((c) => c.tick()));
    every(deps.options.keyCheckIntervalMs, () => void this.closeRevoked().catch(onError));
    every(deps.options.statsIntervalMs, () => {
      this.system.tick(this.tenantsIn((r) => r === "system"));
      this.agents.tick();
      void this.checkTails().catch(onError);
    });
  }

  /**
   * A publish can be lost (a writer dies between commit and publish; pub/sub
   * drops messages on reconnect). The next event of the session repairs it;
   * this bounds the wait for the last one: session rooms whose log is ahead
   * of what they delivered read the rest from the log.
   */
  private async checkTails(): Promise<void> {
    const streams = [...this.connections].flatMap((c) => [...c.sessionStreams()]);
    if (streams.length === 0) return;
    const ids = [...new Set(streams.map(([id]) => id))];
    const last = await batchReadLastEventSeqs(this.routing, ids);
    for (const [id, stream] of streams) stream.catchUp(last.get(id) ?? 0);
  }

  /** A revoked or expired key, or a removed user, loses its open sockets within one check period. */
  private async closeRevoked(): Promise<void> {
    if (!this.deps.unusableKeys) return;
    const ids = [...new Set([...this.connections].flatMap((c) => (c.principal.keyId ? [c.principal.keyId] : [])))];
    if (ids.length === 0) return;
    const gone = new Set(await this.deps.unusableKeys(ids));
    for (const c of this.connections)
      if (c.principal.keyId && gone.has(c.principal.keyId)) {
        c.send(
          frame("error", {
            code: ErrorCode.UNAUTHENTICATED,
            message: "this API key no longer works (revoked or expired)",
          }),
        );
        c.close(WsCloseCode.UNAUTHENTICATED, "API key revoked");
      }
  }

  get db(): Database {
    return this.deps.db;
  }
  get bus(): EventBus {
    return this.deps.bus;
  }
  get options(): WsOptions {
    return this.deps.options;
  }
  get authenticate(): WsAuthenticate {
    return this.deps.authenticate;
  }

  framesMoved(direction: "in" | "out", frames: number): void {
    this.deps.observeFrames?.(direction, frames);
  }

  /** Open connections on this replica (all tenants). */
  get size(): number {
    return this.connections.size;
  }

  /** A connection authenticated and upgraded: it subscribes its endpoint's room and says hello. */
  accept(
    socket: WebSocket,
    principal: WsPrincipal,
    endpoint: { room: string; after: number | null },
    tcp: Socket | null = null,
  ): WsConnection {
    const conn = new WsConnection(this, socket, principal, endpoint, tcp);
    this.connections.add(conn);
    this.counters.accepted++;
    conn.open();
    return conn;
  }

  async exists(principal: WsPrincipal, room: WsRoom): Promise<boolean> {
    switch (room.kind) {
      case "agent":
        return (await findAgent(this.deps.db, principal.tenantId, room.id)) !== null;
      case "task":
        return getTask(this.deps.db, principal.tenantId, room.id).then(
          () => true,
          () => false,
        );
      default:
        // Session rooms are checked by the connection (it needs the session's last seq); the others always exist.
        return true;
    }
  }

  join(conn: WsConnection, room: string): void {
    let set = this.byRoom.get(room);
    if (!set) this.byRoom.set(room, (set = new Set()));
    set.add(conn);
    if (needsFeed(room)) this.feed.retain();
    if (isAgentRoom(room)) this.agents.watch(conn.tenantId);
  }

  leave(conn: WsConnection, room: string): void {
    const set = this.byRoom.get(room);
    if (!set?.delete(conn)) return;
    if (set.size === 0) this.byRoom.delete(room);
    if (needsFeed(room)) this.feed.release();
    if (isAgentRoom(room) && ![...this.tenantsIn(isAgentRoom)].includes(conn.tenantId))
      this.agents.unwatch(conn.tenantId);
  }

  joined(conn: WsConnection, room: WsRoom): void {
    if (room.kind === "system") void this.system.snapshot(conn.tenantId, (f) => conn.send(f));
  }

  closed(conn: WsConnection): void {
    this.connections.delete(conn);
  }

  /** Shutdown: every client gets 1001 (going away); the hub stops its timers and feeds. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.unsubscribeNotices();
    this.feed.close();
    this.agents.close();
    for (const c of this.connections) c.close(1001, "server shutting down");
  }

  /** Tenants with a connection in a room that `match`es. */
  private tenantsIn(match: (room: string) => boolean): Set<string> {
    const out = new Set<string>();
    for (const [room, set] of this.byRoom) if (match(room)) for (const c of set) out.add(c.tenantId);
    return out;
  }

  /** Sends one frame to every connection of the tenant in any of `rooms`, once each. */
  private deliver(tenantId: string, rooms: readonly string[], f: Frame): void {
    const sent = new Set<WsConnection>();
    for (const room of rooms)
      for (const c of this.byRoom.get(room) ?? [])
        if (c.tenantId === tenantId && !sent.has(c)) {
          sent.add(c);
          c.send(f);
        }
  }

  private onSessionEvent(tenantId: string, e: SessionEvent): void {
    // Status-level events only: the session's own room carries its log (contracts' SESSIONS_ROOM_EVENT_TYPES).
    if (isSessionsRoomEventType(e.type))
      for (const c of this.byRoom.get("sessions") ?? []) if (c.tenantId === tenantId) c.send(sessionEventFrames(e));
    const inbox = this.byRoom.has("inbox") ? inboxFrame(e) : null;
    if (inbox) this.deliver(tenantId, ["inbox"], inbox);
    this.agents.sessionEvent(tenantId, e);
  }

  private onNotice(n: Notice): void {
    this.agents.noticed(n);
    if (!n.rooms.some((r) => this.byRoom.has(r))) return;
    this.deliver(n.tenantId, n.rooms, frame(n.type as never, n.payload as never));
  }
}
