import { z } from "zod";
import { CHECKPOINT_TRIGGERS, MODEL_SWITCH_REASONS, SESSION_STATUSES, type SessionEvent } from "@industrial/core";
import { TokenTotalsSchema } from "./common";
import { InboxItemSchema, InputActorSchema, InputReplySchema, InputRequestKindSchema } from "./inbox";

const Status = z.enum(SESSION_STATUSES);

/** One schema per session event type; the same names are the WebSocket frame types. */
export const SessionEventPayloadSchemas = {
  "session.created": z.object({ title: z.string(), priority: z.string(), type: z.string() }),
  "session.status_changed": z.object({ from: Status, to: Status, reason: z.string().nullable() }),
  "session.attempt": z.object({
    attempt: z.number().int(),
    agentId: z.string().nullable(),
    runnerId: z.string().nullable(),
    openCodeSessionId: z.string().nullable(),
    action: z.enum(["started", "adopted", "resumed"]),
    replica: z.string(),
  }),
  "session.log": z.object({
    level: z.enum(["debug", "info", "warn", "error"]),
    text: z.string(),
    source: z.enum(["orchestrator", "assistant", "user", "opencode"]),
  }),
  "session.tool": z.object({
    callId: z.string(),
    tool: z.string(),
    status: z.enum(["pending", "running", "completed", "error"]),
    title: z.string().nullable(),
    input: z.string().nullable(),
    output: z.string().nullable(),
  }),
  "session.file_edited": z.object({ path: z.string(), added: z.number().int(), removed: z.number().int() }),
  "session.tokens": z.object({ totals: TokenTotalsSchema, cost: z.number() }),
  "session.checkpoint": z.object({
    seq: z.number().int(),
    hash: z.string(),
    trigger: z.enum(CHECKPOINT_TRIGGERS),
    gitCommit: z.string().nullable(),
  }),
  "session.restored": z.object({ seq: z.number().int(), gitCommit: z.string().nullable() }),
  "session.todo": z.object({
    todos: z.array(z.object({ content: z.string(), status: z.string(), priority: z.string() })),
  }),
  "session.input_requested": InboxItemSchema,
  "session.input_replied": z.object({
    requestId: z.string(),
    kind: InputRequestKindSchema,
    outcome: z.enum(["answered", "rejected", "expired", "cancelled"]),
    actor: InputActorSchema,
    reply: InputReplySchema.nullable(),
  }),
  "session.model_switched": z.object({ from: z.string(), to: z.string(), reason: z.enum(MODEL_SWITCH_REASONS) }),
} as const;

const base = {
  sessionId: z.string(),
  seq: z.number().int(),
  attempt: z.number().int().nullable(),
  ts: z.string(),
  /** The API request that wrote the event (its `x-request-id`); null when the scheduler or a runner did. */
  requestId: z.string().nullable().optional(),
};

export const SessionEventSchema = z.discriminatedUnion(
  "type",
  Object.entries(SessionEventPayloadSchemas).map(([type, payload]) =>
    z.object({ ...base, type: z.literal(type), payload }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<SessionEvent>;

export const EventsPageSchema = z.object({
  items: z.array(SessionEventSchema),
  lastSeq: z.number().int(),
  /**
   * The first seq the log still holds: 1, unless the tenant's retention removed
   * older events (lastSeq + 1 when none is left). A replay from before it starts here.
   */
  firstSeq: z.number().int(),
  /** True when the session is in a state that will write no more events on its own. */
  finished: z.boolean(),
});
