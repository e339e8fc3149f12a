import { z } from "zod";
import {
  INPUT_REQUEST_KINDS,
  INPUT_REQUEST_STATUSES,
  PERMISSION_REPLIES,
  type InboxItem,
  type InputRequestView,
} from "@industrial/core";
import { PaginationQuery, text, Uuid } from "./common";

/*
 * The inbox (docs/input-requests.md §3, API): permissions and questions
 * OpenCode put to a person, as issue 14 fixes their shapes.
 */

export const InputRequestKindSchema = z.enum(INPUT_REQUEST_KINDS);
export const InputRequestStatusSchema = z.enum(INPUT_REQUEST_STATUSES);
export const PermissionReplyValueSchema = z.enum(PERMISSION_REPLIES);

export const PermissionAskSchema = z.object({
  name: z.string().describe("the permission: edit, bash, …"),
  patterns: z.array(z.string()),
  diff: z.string().optional().describe("the change an edit would make"),
  command: z.string().optional().describe("the command bash would run"),
});

export const QuestionInfoSchema = z.object({
  question: z.string(),
  header: z.string(),
  options: z.array(z.object({ label: z.string(), description: z.string() })),
  multiple: z.boolean().describe("more than one label may be chosen"),
  custom: z.boolean().describe("free text is accepted besides the labels"),
});

/** One open request: what the inbox lists, a session's `pendingInput` holds and `session.input_requested` carries. */
export const InboxItemSchema = z.object({
  id: Uuid,
  openCodeRequestId: z.string(),
  kind: InputRequestKindSchema,
  sessionId: Uuid,
  sessionTitle: z.string(),
  agentId: z.string(),
  createdAt: z.string(),
  expiresAt: z
    .string()
    .nullable()
    .describe("when it is declined unanswered; null: it waits as long as the session runs"),
  permission: PermissionAskSchema.optional(),
  questions: z.array(QuestionInfoSchema).optional(),
});

/** Who answered: the audit log's actor (`user:<id>`, `key:<id>`, `anonymous`, or `system` for a timeout or a status change) with its key and user. */
export const InputActorSchema = z.object({
  actor: z.string(),
  keyId: z.string().nullable(),
  userId: z.string().nullable(),
});

export const InputReplySchema = z.union([
  z.object({ reply: PermissionReplyValueSchema, message: z.string().optional() }),
  z.object({ answers: z.array(z.array(z.string())) }),
  z.object({ reject: z.literal(true) }),
]);

/** A request after a reply: the item, its status, the reply and who gave it. */
export const InputRequestSchema = InboxItemSchema.extend({
  status: InputRequestStatusSchema,
  reply: InputReplySchema.nullable(),
  answeredBy: InputActorSchema.nullable(),
  resolvedAt: z.string().nullable(),
});

export const ListInboxQuery = z.strictObject({
  ...PaginationQuery,
  sessionId: Uuid.optional(),
  agentId: Uuid.optional(),
  kind: InputRequestKindSchema.optional(),
});

export const InboxParams = z.strictObject({ requestId: Uuid });

/**
 * `{reply, message?}` for a permission, `{answers}` or `{reject: true}` for a
 * question. One object rather than a union, so that a field of the wrong type
 * is a 400 naming it (`body.answers.1`); which fields fit the request's kind
 * is checked against the request itself (core `checkInputReply`).
 */
export const InputReplyBody = z
  .strictObject({
    reply: PermissionReplyValueSchema.optional(),
    message: text(1, 10_000).optional(),
    answers: z
      .array(z.array(text(1, 10_000)).max(64))
      .max(64)
      .optional(),
    reject: z.literal(true).optional(),
  })
  .refine((b) => b.reply !== undefined || b.answers !== undefined || b.reject !== undefined, {
    error: "give reply (a permission), answers or reject: true (a question)",
  });
export type InputReplyBody = z.input<typeof InputReplyBody>;

// The wire shapes are core's; these lines fail to compile if they drift.
export const _inboxShapeCheck: (i: z.infer<typeof InboxItemSchema>) => InboxItem = (i) => i;
export const _inputRequestShapeCheck: (i: z.infer<typeof InputRequestSchema>) => InputRequestView = (i) => i;
