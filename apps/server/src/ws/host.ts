import type { WsRoom } from "@industrial/contracts";
import type { Database } from "@industrial/db";
import type { EventBus } from "@industrial/scheduler";
import type { Logger } from "pino";
import type { WsPrincipal } from "./auth";
import type { WsOptions } from "./options";

/**
 * What a connection needs from the hub. Generic in the connection's type so
 * that this file needs neither side: the hub implements `WsHost<WsConnection>`
 * and a connection holds one, without the two files importing each other.
 */
export interface WsHost<Conn> {
  readonly db: Database;
  readonly bus: EventBus;
  readonly options: WsOptions;
  readonly log: Logger;
  readonly counters: WsCounters;
  framesMoved(direction: "in" | "out", frames: number): void;
  exists(principal: WsPrincipal, room: WsRoom): Promise<boolean>;
  join(conn: Conn, room: string): void;
  leave(conn: Conn, room: string): void;
  /** After the `subscribed`/`hello` ack: rooms with a snapshot send it now. */
  joined(conn: Conn, room: WsRoom): void;
  closed(conn: Conn): void;
}

export interface WsCounters {
  accepted: number;
  refused: number;
  slowConsumers: number;
  evicted: number;
  /** Session rooms that went back to the log because live events arrived out of seq order. */
  gapReads: number;
}
