import { z } from "zod";

// Schemas for the parts of OpenCode's events the runner reads. OpenCode is an
// outside boundary: everything is parsed here, and what does not parse is
// logged and skipped, never trusted.

const Tokens = z.object({
  input: z.number().default(0),
  output: z.number().default(0),
  reasoning: z.number().default(0),
  cache: z.object({ read: z.number().default(0), write: z.number().default(0) }).default({ read: 0, write: 0 }),
});

export const OcError = z.object({ name: z.string(), data: z.record(z.string(), z.unknown()).optional() }).passthrough();
export type OcError = z.infer<typeof OcError>;

export const OcAssistantInfo = z
  .object({
    id: z.string(),
    sessionID: z.string(),
    role: z.literal("assistant"),
    finish: z.string().optional(),
    error: OcError.optional(),
    cost: z.number().default(0),
    tokens: Tokens.optional(),
    time: z.object({ created: z.number(), completed: z.number().optional() }),
    /** The model that answered (usage is split by it). */
    providerID: z.string().optional(),
    modelID: z.string().optional(),
  })
  .passthrough();
export type OcAssistantInfo = z.infer<typeof OcAssistantInfo>;

export const OcUserInfo = z.object({ id: z.string(), sessionID: z.string(), role: z.literal("user") }).passthrough();
export const OcMessageInfo = z.discriminatedUnion("role", [OcAssistantInfo, OcUserInfo]);

const ToolState = z
  .object({
    status: z.enum(["pending", "running", "completed", "error"]),
    input: z.record(z.string(), z.unknown()).optional(),
    output: z.string().optional(),
    error: z.string().optional(),
    title: z.string().optional(),
  })
  .passthrough();

export const OcPart = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("tool"),
      id: z.string(),
      sessionID: z.string(),
      messageID: z.string(),
      tool: z.string(),
      callID: z.string(),
      state: ToolState,
    })
    .passthrough(),
  z
    .object({
      type: z.literal("text"),
      id: z.string(),
      sessionID: z.string(),
      messageID: z.string(),
      text: z.string(),
      time: z.object({ start: z.number().optional(), end: z.number().optional() }).optional(),
    })
    .passthrough(),
  z
    .object({
      type: z.literal("step-finish"),
      id: z.string(),
      sessionID: z.string(),
      messageID: z.string(),
      cost: z.number().default(0),
      tokens: Tokens,
    })
    .passthrough(),
  z
    .object({
      type: z.literal("patch"),
      id: z.string(),
      sessionID: z.string(),
      messageID: z.string(),
      files: z.array(z.string()),
    })
    .passthrough(),
]);
export type OcPart = z.infer<typeof OcPart>;

export const OcMessage = z.object({ info: OcMessageInfo, parts: z.array(z.unknown()) });
export type OcMessage = z.infer<typeof OcMessage>;

/** The messages of `GET /session/{id}/message` that parse; the rest are skipped. */
export function parseOcMessages(raw: readonly unknown[]): OcMessage[] {
  return raw.flatMap((m) => {
    const r = OcMessage.safeParse(m);
    return r.success ? [r.data] : [];
  });
}

export const OcSessionStatus = z
  .object({
    type: z.enum(["idle", "busy", "retry"]),
    attempt: z.number().optional(),
    message: z.string().optional(),
    next: z.number().optional(),
  })
  .passthrough();

const OcRequestTool = z.object({ messageID: z.string(), callID: z.string() }).passthrough();

/** A pending permission ask (`permission.asked`, `GET /permission`); metadata holds `diff` (edit) or `command` (bash). */
export const OcPermissionRequest = z
  .object({
    id: z.string(),
    sessionID: z.string(),
    permission: z.string(),
    patterns: z.array(z.string()).default([]),
    metadata: z.record(z.string(), z.unknown()).default({}),
    tool: OcRequestTool.optional(),
  })
  .passthrough();
export type OcPermissionRequest = z.infer<typeof OcPermissionRequest>;

const OcQuestionInfo = z.object({
  question: z.string(),
  header: z.string(),
  options: z.array(z.object({ label: z.string(), description: z.string().default("") }).passthrough()),
  multiple: z.boolean().optional(),
  custom: z.boolean().optional(),
});

/** A pending question (`question.asked`, `GET /question`). */
export const OcQuestionRequest = z
  .object({ id: z.string(), sessionID: z.string(), questions: z.array(OcQuestionInfo), tool: OcRequestTool.optional() })
  .passthrough();
export type OcQuestionRequest = z.infer<typeof OcQuestionRequest>;

/** The events the runner acts on, by type; anything else is ignored. */
export const OcEventProps = {
  "session.status": z.object({ sessionID: z.string(), status: OcSessionStatus }),
  "session.idle": z.object({ sessionID: z.string() }),
  "session.created": z.object({ info: z.object({ id: z.string(), parentID: z.string().optional() }).passthrough() }),
  "session.error": z.object({ sessionID: z.string().optional(), error: OcError.optional() }),
  "message.updated": z.object({ info: z.object({ role: z.string(), sessionID: z.string() }).passthrough() }),
  "message.part.updated": z.object({ part: z.object({ type: z.string(), sessionID: z.string() }).passthrough() }),
  "todo.updated": z.object({
    sessionID: z.string(),
    todos: z.array(z.object({ content: z.string(), status: z.string(), priority: z.string() }).passthrough()),
  }),
  "permission.asked": OcPermissionRequest,
  "permission.replied": z.object({ sessionID: z.string(), requestID: z.string(), reply: z.string() }).passthrough(),
  "question.asked": OcQuestionRequest,
  "question.replied": z.object({ sessionID: z.string(), requestID: z.string() }).passthrough(),
  "question.rejected": z.object({ sessionID: z.string(), requestID: z.string() }).passthrough(),
} as const;
export type OcEventType = keyof typeof OcEventProps;
