import { z } from "zod";
import { AgentSchema } from "./agents";
import { Uuid } from "./common";
import { SessionEventPayloadSchemas } from "./events";
import { ReadinessSchema } from "./health";
import { InboxItemSchema, InputActorSchema, InputReplySchema, InputRequestKindSchema } from "./inbox";
import { TaskSchema, TaskStatusSchema } from "./tasks";

/**
 * The WebSocket protocol (docs/api.md, "WebSocket"): every frame is
 * `{v: 1, type, seq?, ts, payload}`, one schema per type. Server and
 * dashboard both read these; the server validates every client frame.
 */
export const WS_VERSION = 1;
/** The subprotocol the server selects; a browser passes its key as a second one, `bearer.<key>`. */
export const WS_SUBPROTOCOL = "orchestrator.v1";
export const WS_TOKEN_PROTOCOL_PREFIX = "bearer.";

/** Close codes: 1008 only for authentication; 1013 asks a slow consumer to come back later (with `?after=`). */
export const WsCloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNAUTHENTICATED: 1008,
  INTERNAL: 1011,
  SLOW_CONSUMER: 1013,
  /** The same code, for a connection the server cannot serve now (the database is away): reconnect later. */
  TRY_AGAIN_LATER: 1013,
  /** The path or query of the connection is invalid (the error frame before it names the field). */
  BAD_REQUEST: 4400,
  /** The endpoint's own session, agent or task does not exist in the caller's tenant. */
  NOT_FOUND: 4404,
} as const;

/** Codes of `error` frames beyond the REST ones (INVALID_INPUT, NOT_FOUND, UNAUTHENTICATED, INTERNAL). */
export const WsErrorCode = { SLOW_CONSUMER: "SLOW_CONSUMER", TOO_MANY_ROOMS: "TOO_MANY_ROOMS" } as const;

// ---------------------------------------------------------------------------------------------
// Rooms

/** A room: what a connection listens to. The endpoint's own room is subscribed on connect. */
export type WsRoom =
  | { kind: "session"; id: string }
  | { kind: "agent"; id: string }
  | { kind: "task"; id: string }
  | { kind: "sessions" }
  | { kind: "agents" }
  | { kind: "tasks" }
  | { kind: "system" }
  /** The tenant's input requests as they open and close (docs/input-requests.md §3, WebSocket). */
  | { kind: "inbox" };

export const wsRooms = {
  session: (id: string) => `session:${id}`,
  agent: (id: string) => `agent:${id}`,
  task: (id: string) => `task:${id}`,
  sessions: "sessions",
  agents: "agents",
  tasks: "tasks",
  system: "system",
  inbox: "inbox",
} as const;

const ROOM = /^(session|agent|task):(.+)$/;

/** `session:<uuid>` → {kind, id}; null for anything that is not a room. */
export function parseWsRoom(name: string): WsRoom | null {
  if (name === "sessions" || name === "agents" || name === "tasks" || name === "system" || name === "inbox")
    return { kind: name };
  const m = ROOM.exec(name);
  if (!m || !Uuid.safeParse(m[2]).success) return null;
  return { kind: m[1] as "session" | "agent" | "task", id: m[2]! };
}

export const WsRoomName = z
  .string()
  .max(200)
  .refine((s) => parseWsRoom(s) !== null, {
    error: "must be sessions, agents, tasks, system, inbox, or session:<uuid>, agent:<uuid>, task:<uuid>",
  });

// ---------------------------------------------------------------------------------------------
// Server → client

const SessionFields = { sessionId: z.string(), attempt: z.number().int().nullable() };
type SessionEventSchemas = typeof SessionEventPayloadSchemas;
/** Each session event's payload plus the session and attempt it belongs to (the `/ws/sessions` feed mixes sessions). */
const withSession = <T extends z.ZodObject>(s: T) => s.extend(SessionFields);
const sessionEventFrames = Object.fromEntries(
  Object.entries(SessionEventPayloadSchemas).map(([type, s]) => [type, withSession(s)]),
) as {
  [K in keyof SessionEventSchemas]: ReturnType<typeof withSession<SessionEventSchemas[K]>>;
};

const Seq = z.number().int().min(0);
export const WsErrorDetail = z.object({ path: z.string(), reason: z.string() });

export const WsServerPayloadSchemas = {
  hello: z.object({
    clientId: z.string(),
    rooms: z.array(z.string()),
    serverTime: z.string(),
    /** How often the server pings and sends `heartbeat`: a client that hears nothing for two of these may reconnect. */
    heartbeatIntervalMs: z.number().int(),
  }),
  subscribed: z.object({ room: z.string(), rooms: z.array(z.string()) }),
  unsubscribed: z.object({ room: z.string(), rooms: z.array(z.string()) }),
  /** A session room's log replay (from `?after=`, `resume` or `subscribe` with `afterSeq`) is done: live events follow. */
  replayed: z.object({
    room: z.string(),
    afterSeq: Seq,
    lastSeq: Seq,
    /** Present when the tenant's retention removed events after `afterSeq`: the replay began at this seq (the first the log still holds). */
    firstSeq: Seq.optional(),
  }),
  ...sessionEventFrames,
  /** Derived, right after the `session.status_changed` frame (seq `atSeq`) that ended the run; it carries no seq of its own. */
  "session.completed": z.object({
    sessionId: z.string(),
    status: z.enum(["completed", "partially_completed"]),
    reason: z.string().nullable(),
    atSeq: Seq,
  }),
  "session.failed": z.object({
    sessionId: z.string(),
    status: z.enum(["failed", "timeout"]),
    reason: z.string().nullable(),
    atSeq: Seq,
  }),
  /** Derived from `session.input_requested` (seq `atSeq`): the request that opened, as the inbox lists it. */
  "inbox.request_created": InboxItemSchema.extend({ atSeq: Seq }),
  /** Derived from `session.input_replied` (seq `atSeq`): the request `id` left the inbox, how, by whom and with what reply. */
  "inbox.request_resolved": z.object({
    id: z.string(),
    sessionId: z.string(),
    kind: InputRequestKindSchema,
    status: z.enum(["answered", "rejected", "expired", "cancelled"]),
    reply: InputReplySchema.nullable(),
    answeredBy: InputActorSchema,
    resolvedAt: z.string(),
    atSeq: Seq,
  }),
  "agent.registered": AgentSchema,
  /** Load (`running`), tier, breaker, heartbeat, status: the whole agent as it stands. */
  "agent.updated": AgentSchema,
  "agent.removed": z.object({ id: z.string(), name: z.string() }),
  "task.created": TaskSchema,
  /** `from` is null when this replica had not seen the task's previous status. */
  "task.status_changed": z.object({
    taskId: z.string(),
    rootTaskId: z.string(),
    from: TaskStatusSchema.nullable(),
    to: TaskStatusSchema,
  }),
  "task.progress": z.object({
    taskId: z.string(),
    rootTaskId: z.string(),
    done: z.number().int(),
    total: z.number().int(),
    percent: z.number().int(),
  }),
  "system.health": ReadinessSchema,
  /** Sessions waiting (pending + queued) and running in the tenant; WebSocket connections of the tenant on this replica. */
  "system.stats": z.object({ queueDepth: z.number().int(), running: z.number().int(), connections: z.number().int() }),
  heartbeat: z.object({ serverTime: z.string() }),
  error: z.object({ code: z.string(), message: z.string(), details: z.array(WsErrorDetail).optional() }),
};

type ServerSchemas = typeof WsServerPayloadSchemas;
export type WsServerMessageType = keyof ServerSchemas;
export type WsServerPayloads = { [K in WsServerMessageType]: z.output<ServerSchemas[K]> };
/** Frames that carry their session's event-log seq. */
export type WsSessionEventType = keyof SessionEventSchemas;
export type WsServerMessage = {
  [K in WsServerMessageType]: { v: typeof WS_VERSION; type: K; seq?: number; ts: string; payload: WsServerPayloads[K] };
}[WsServerMessageType];

const SESSION_EVENT_TYPES = new Set<string>(Object.keys(SessionEventPayloadSchemas));
export const isWsSessionEventType = (type: string): type is WsSessionEventType => SESSION_EVENT_TYPES.has(type);

/**
 * What the `sessions` room carries: status-level events only (a session
 * created, its status, its token and checkpoint summaries) plus the derived
 * `session.completed` / `session.failed`. Log lines, tool calls, file edits
 * and todos stay in the session's own room: a list page open in every tab
 * must not receive every line of every running session (docs: README,
 * WebSocket). Input requests reach lists through the `inbox` room.
 */
export const SESSIONS_ROOM_EVENT_TYPES = [
  "session.created",
  "session.status_changed",
  "session.tokens",
  "session.checkpoint",
] as const satisfies readonly WsSessionEventType[];
const SESSIONS_ROOM = new Set<string>(SESSIONS_ROOM_EVENT_TYPES);
/** Whether the `sessions` room carries this session event (its derived frames follow it). */
export const isSessionsRoomEventType = (type: string): boolean => SESSIONS_ROOM.has(type);

/** Any server frame; session event frames must carry their seq. */
export const WsServerMessageSchema = z.discriminatedUnion(
  "type",
  Object.entries(WsServerPayloadSchemas).map(([type, payload]) =>
    z.object({
      v: z.literal(WS_VERSION),
      type: z.literal(type),
      seq: SESSION_EVENT_TYPES.has(type) ? Seq : Seq.optional(),
      ts: z.string(),
      payload,
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<WsServerMessage>;

// ---------------------------------------------------------------------------------------------
// Client → server

export const WsClientPayloadSchemas = {
  /** `afterSeq` (session rooms only): replay the log after it first, as `?after=` does. */
  subscribe: z.strictObject({ room: WsRoomName, afterSeq: Seq.optional() }),
  unsubscribe: z.strictObject({ room: WsRoomName }),
  /** Answered with `heartbeat`. */
  ping: z.strictObject({}),
  /** Replay a session room from `afterSeq` (default room: the endpoint's session), then live. */
  resume: z.strictObject({ afterSeq: Seq, room: WsRoomName.optional() }),
};
type ClientSchemas = typeof WsClientPayloadSchemas;
export type WsClientMessageType = keyof ClientSchemas;
export type WsClientMessage = {
  [K in WsClientMessageType]: { v: typeof WS_VERSION; type: K; ts?: string; payload: z.output<ClientSchemas[K]> };
}[WsClientMessageType];

const ClientEnvelope = z.strictObject({
  v: z.literal(WS_VERSION, { error: `must be ${WS_VERSION}` }),
  type: z.enum(Object.keys(WsClientPayloadSchemas) as [WsClientMessageType, ...WsClientMessageType[]]),
  /** Optional from clients (their clocks are theirs); never trusted. */
  ts: z.string().max(64).optional(),
  payload: z.unknown().optional(),
});

export type WsIssue = z.infer<typeof WsErrorDetail>;
export type WsClientParse = { ok: true; message: WsClientMessage } | { ok: false; issues: WsIssue[] };

function issuesOf(error: z.ZodError, prefix: string): WsIssue[] {
  return error.issues.flatMap((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join(".");
    if (i.code === "unrecognized_keys")
      return i.keys.map((k) => ({ path: path ? `${path}.${k}` : k, reason: "unknown field" }));
    return [{ path: path || "(frame)", reason: i.message }];
  });
}

/**
 * Validates one client frame (already JSON-parsed): the envelope first, then
 * the payload of its type. Every issue names its field (`payload.room`).
 */
export function parseWsClientMessage(raw: unknown): WsClientParse {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { ok: false, issues: [{ path: "(frame)", reason: "must be a JSON object" }] };
  const env = ClientEnvelope.safeParse(raw);
  if (!env.success) return { ok: false, issues: issuesOf(env.error, "") };
  const { type, ts, payload } = env.data;
  if (payload === undefined && type !== "ping") return { ok: false, issues: [{ path: "payload", reason: "required" }] };
  const body = WsClientPayloadSchemas[type].safeParse(payload ?? {});
  if (!body.success) return { ok: false, issues: issuesOf(body.error, "payload") };
  return {
    ok: true,
    message: { v: WS_VERSION, type, ...(ts === undefined ? {} : { ts }), payload: body.data } as WsClientMessage,
  };
}
