import { describe, expect, it } from "vitest";
import {
  isSessionsRoomEventType,
  isWsSessionEventType,
  parseWsClientMessage,
  parseWsRoom,
  SESSIONS_ROOM_EVENT_TYPES,
  WsServerMessageSchema,
} from "./ws";

const ID = "0b8e6a52-3f7c-4c55-9d59-0a3c5f6f1b2e";

describe("WebSocket rooms", () => {
  it("parses the five plain rooms and the three with an id", () => {
    expect(["sessions", "agents", "tasks", "system", "inbox"].map(parseWsRoom)).toEqual([
      { kind: "sessions" },
      { kind: "agents" },
      { kind: "tasks" },
      { kind: "system" },
      { kind: "inbox" },
    ]);
    expect(parseWsRoom(`session:${ID}`)).toEqual({ kind: "session", id: ID });
    expect(parseWsRoom(`task:${ID}`)).toEqual({ kind: "task", id: ID });
  });
  it("refuses anything else", () => {
    for (const bad of ["", "session", "session:", "session:42", `sessions:${ID}`, `runner:${ID}`, "SYSTEM"])
      expect(parseWsRoom(bad), bad).toBeNull();
  });
});

describe("the sessions room", () => {
  it("carries status-level session events only: never log lines, tool calls, file edits or todos", () => {
    for (const t of SESSIONS_ROOM_EVENT_TYPES) expect(isWsSessionEventType(t), t).toBe(true);
    expect(SESSIONS_ROOM_EVENT_TYPES.filter(isSessionsRoomEventType)).toEqual([...SESSIONS_ROOM_EVENT_TYPES]);
    for (const t of [
      "session.log",
      "session.tool",
      "session.file_edited",
      "session.todo",
      "session.input_requested",
      "heartbeat",
    ])
      expect(isSessionsRoomEventType(t), t).toBe(false);
  });
});

describe("client frames", () => {
  it("accepts each type, with ping's payload optional", () => {
    expect(parseWsClientMessage({ v: 1, type: "ping" })).toEqual({
      ok: true,
      message: { v: 1, type: "ping", payload: {} },
    });
    expect(
      parseWsClientMessage({ v: 1, type: "subscribe", ts: "now", payload: { room: `session:${ID}`, afterSeq: 0 } }),
    ).toMatchObject({ ok: true });
    expect(parseWsClientMessage({ v: 1, type: "unsubscribe", payload: { room: "agents" } })).toMatchObject({
      ok: true,
    });
    expect(parseWsClientMessage({ v: 1, type: "resume", payload: { afterSeq: 12 } })).toMatchObject({
      ok: true,
      message: { payload: { afterSeq: 12 } },
    });
  });

  it("names the failing field of every bad frame", () => {
    const paths = (raw: unknown) => {
      const r = parseWsClientMessage(raw);
      return r.ok ? [] : r.issues.map((i) => i.path);
    };
    expect(paths("text")).toEqual(["(frame)"]);
    expect(paths(null)).toEqual(["(frame)"]);
    expect(paths({ type: "ping" })).toEqual(["v"]);
    expect(paths({ v: "1", type: "ping" })).toEqual(["v"]);
    expect(paths({ v: 1, type: "pong" })).toEqual(["type"]);
    expect(paths({ v: 1, type: "ping", extra: true })).toEqual(["extra"]);
    expect(paths({ v: 1, type: "subscribe" })).toEqual(["payload"]);
    expect(paths({ v: 1, type: "subscribe", payload: { room: 7 } })).toEqual(["payload.room"]);
    expect(paths({ v: 1, type: "subscribe", payload: { room: "agents", colour: "red" } })).toEqual(["payload.colour"]);
    expect(paths({ v: 1, type: "resume", payload: { afterSeq: 1.5 } })).toEqual(["payload.afterSeq"]);
    expect(paths({ v: 1, type: "resume", payload: {} })).toEqual(["payload.afterSeq"]);
  });
});

describe("server frames", () => {
  const log = { level: "info", text: "hi", source: "assistant", sessionId: ID, attempt: 1 };
  it("session event frames carry their seq", () => {
    expect(WsServerMessageSchema.safeParse({ v: 1, type: "session.log", seq: 3, ts: "t", payload: log }).success).toBe(
      true,
    );
    expect(WsServerMessageSchema.safeParse({ v: 1, type: "session.log", ts: "t", payload: log }).success).toBe(false);
  });
  it("other frames may omit it; unknown types fail", () => {
    expect(
      WsServerMessageSchema.safeParse({ v: 1, type: "heartbeat", ts: "t", payload: { serverTime: "t" } }).success,
    ).toBe(true);
    expect(
      WsServerMessageSchema.safeParse({
        v: 1,
        type: "error",
        ts: "t",
        payload: { code: "SLOW_CONSUMER", message: "m" },
      }).success,
    ).toBe(true);
    expect(WsServerMessageSchema.safeParse({ v: 1, type: "nope", ts: "t", payload: {} }).success).toBe(false);
  });
});
