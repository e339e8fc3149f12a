/**
 * Input requests (docs/input-requests.md §3): a permission OpenCode asks for,
 * or a question its `question` tool puts, while an attempt runs. A person
 * answers it from the inbox; the lease holder forwards the answer.
 *
 * Terminology:
 * - input request  one permission or question of one attempt: `open` →
 *                  `answered | rejected | expired | cancelled`.
 * - delivered      OpenCode accepted our reply (or no longer lists the request).
 * - inbox          the tenant's open requests, oldest first.
 */
import { canControl, type Principal } from "../access/access";
import type { ErrorDetail } from "../errors";

export const INPUT_REQUEST_KINDS = ["permission", "question"] as const;
export type InputRequestKind = (typeof INPUT_REQUEST_KINDS)[number];

export const INPUT_REQUEST_STATUSES = ["open", "answered", "rejected", "expired", "cancelled"] as const;
export type InputRequestStatus = (typeof INPUT_REQUEST_STATUSES)[number];

/** How a request left `open`, as `session.input_replied` says it. */
export type InputOutcome = Exclude<InputRequestStatus, "open">;

/** OpenCode's answers to a permission (`POST /permission/{id}/reply`). */
export const PERMISSION_REPLIES = ["once", "always", "reject"] as const;
export type PermissionReplyValue = (typeof PERMISSION_REPLIES)[number];

/** What a permission asks: the permission's name (`edit`, `bash`), its patterns, and the diff or command when OpenCode gives one. */
export interface PermissionAsk {
  name: string;
  patterns: string[];
  diff?: string;
  command?: string;
}

export interface QuestionOption {
  label: string;
  description: string;
}

/** One question of OpenCode's `question` tool (`QuestionInfo`); a flag OpenCode leaves out is stored as false. */
export interface QuestionInfo {
  question: string;
  header: string;
  options: QuestionOption[];
  /** More than one label may be chosen. */
  multiple: boolean;
  /** Free text is accepted besides the labels. */
  custom: boolean;
}

export interface QuestionAsk {
  questions: QuestionInfo[];
}

/** What is asked, by kind: the `payload` column. */
export type InputAsk = { kind: "permission"; payload: PermissionAsk } | { kind: "question"; payload: QuestionAsk };

/** The reply stored and forwarded: a permission's `{reply, message?}`; a question's `{answers}` or `{reject: true}`. */
export type InputReply = { reply: PermissionReplyValue; message?: string } | { answers: string[][] } | { reject: true };

/** Who answered: the caller as the audit log records it (`computeActor`, its key and user), or the system. */
export interface InputActor {
  actor: string;
  keyId: string | null;
  userId: string | null;
}

/** The actor of what the orchestrator closes itself (a timeout, a status change). */
export const SYSTEM_INPUT_ACTOR: InputActor = { actor: "system", keyId: null, userId: null };

export type InputRequest = InputAsk & {
  id: string;
  tenantId: string;
  sessionId: string;
  attempt: number;
  agentId: string;
  openCodeRequestId: string;
  openCodeSessionId: string;
  status: InputRequestStatus;
  reply: InputReply | null;
  answeredBy: InputActor | null;
  createdAt: string;
  /** Null: waits for as long as the session runs. */
  expiresAt: string | null;
  resolvedAt: string | null;
  deliveredAt: string | null;
};

/** An open request as the inbox, the session view and `session.input_requested` show it (issue 14's exact shape). */
export interface InboxItem {
  id: string;
  openCodeRequestId: string;
  kind: InputRequestKind;
  sessionId: string;
  sessionTitle: string;
  agentId: string;
  createdAt: string;
  expiresAt: string | null;
  permission?: PermissionAsk;
  questions?: QuestionInfo[];
}

/** A request after a reply: the item plus where it stands (the answer of `POST /inbox/{id}/reply`). */
export interface InputRequestView extends InboxItem {
  status: InputRequestStatus;
  reply: InputReply | null;
  answeredBy: InputActor | null;
  resolvedAt: string | null;
}

export function computeInboxItem(r: InputRequest, sessionTitle: string): InboxItem {
  const base = {
    id: r.id,
    openCodeRequestId: r.openCodeRequestId,
    kind: r.kind,
    sessionId: r.sessionId,
    sessionTitle,
    agentId: r.agentId,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
  };
  return r.kind === "permission" ? { ...base, permission: r.payload } : { ...base, questions: r.payload.questions };
}

export function computeInputRequestView(r: InputRequest, sessionTitle: string): InputRequestView {
  return {
    ...computeInboxItem(r, sessionTitle),
    status: r.status,
    reply: r.reply,
    answeredBy: r.answeredBy,
    resolvedAt: r.resolvedAt,
  };
}

/** When an unanswered request expires: `timeoutSeconds` (the agent's `inputTimeoutSeconds`) after it was made; 0 never. */
export function computeInputExpiry(createdAt: Date, timeoutSeconds: number): Date | null {
  if (timeoutSeconds === 0) return null;
  return new Date(createdAt.getTime() + timeoutSeconds * 1000);
}

/** Whoever may control the session may answer its requests (its creator as member, a lead, an admin); viewers only read. */
export function canAnswer(p: Pick<Principal, "role" | "keyId" | "userId">, sessionCreatedBy: string | null): boolean {
  return canControl(p, sessionCreatedBy);
}

/** A reply as the API takes it (one object; which fields fit depends on the request's kind). */
export interface InputReplyBody {
  reply?: PermissionReplyValue | undefined;
  message?: string | undefined;
  answers?: string[][] | undefined;
  reject?: boolean | undefined;
}

const has = (b: InputReplyBody, k: keyof InputReplyBody) => b[k] !== undefined;

function checkPermissionReply(b: InputReplyBody): ErrorDetail[] {
  const issues: ErrorDetail[] = [];
  for (const k of ["answers", "reject"] as const)
    if (has(b, k))
      issues.push({
        path: `body.${k}`,
        reason: "a permission request takes reply (once, always or reject) and an optional message",
      });
  if (!has(b, "reply"))
    issues.push({ path: "body.reply", reason: "required for a permission request: once, always or reject" });
  return issues;
}

function checkAnswer(q: QuestionInfo, answer: string[], path: string): ErrorDetail[] {
  if (answer.length === 0) return [{ path, reason: "choose at least one answer" }];
  if (answer.length > 1 && !q.multiple)
    return [{ path, reason: `this question takes one answer, got ${answer.length}` }];
  const labels = q.options.map((o) => o.label);
  const issues: ErrorDetail[] = [];
  answer.forEach((a, j) => {
    if (answer.indexOf(a) !== j) issues.push({ path: `${path}.${j}`, reason: "chosen twice" });
    else if (!q.custom && !labels.includes(a))
      issues.push({
        path: `${path}.${j}`,
        reason: `not one of the options (${labels.join(", ")}); this question takes no free text`,
      });
    else if (a.trim() === "") issues.push({ path: `${path}.${j}`, reason: "must not be blank" });
  });
  return issues;
}

function checkQuestionReply(ask: QuestionAsk, b: InputReplyBody): ErrorDetail[] {
  const issues: ErrorDetail[] = [];
  for (const k of ["reply", "message"] as const)
    if (has(b, k))
      issues.push({ path: `body.${k}`, reason: "a question takes answers (one array per question) or reject: true" });
  if (b.reject !== undefined && b.reject !== true)
    issues.push({ path: "body.reject", reason: "must be true (or leave it out and give answers)" });
  if (b.reject === true && b.answers !== undefined)
    issues.push({ path: "body.reject", reason: "give answers or reject, not both" });
  if (b.reject === true || issues.length) return issues;
  if (b.answers === undefined)
    return [
      {
        path: "body.answers",
        reason: "required for a question: one array of chosen labels per question, or reject: true",
      },
    ];
  const n = ask.questions.length;
  if (b.answers.length !== n)
    return [
      {
        path: "body.answers",
        reason: `expected ${n} answer${n === 1 ? "" : "s"} (one per question, in order), got ${b.answers.length}`,
      },
    ];
  return ask.questions.flatMap((q, i) => checkAnswer(q, b.answers![i]!, `body.answers.${i}`));
}

/**
 * Whether a reply fits its request: every problem with the field it is about
 * (`body.answers.1`), empty when it fits. A permission takes only `reply`
 * (and `message`); a question takes `answers` — one array per question, in
 * order, of its options' labels (any text when `custom`), more than one only
 * when `multiple` — or `reject: true`.
 */
export function checkInputReply(request: InputAsk, body: InputReplyBody): ErrorDetail[] {
  return request.kind === "permission" ? checkPermissionReply(body) : checkQuestionReply(request.payload, body);
}

/** The stored reply and the status it leaves the request in; only for a body `checkInputReply` found fitting. */
export function computeInputReply(
  request: InputAsk,
  body: InputReplyBody,
): { status: "answered" | "rejected"; reply: InputReply } {
  if (request.kind === "permission") {
    const reply = body.reply ?? "reject";
    return {
      status: reply === "reject" ? "rejected" : "answered",
      reply: { reply, ...(body.message !== undefined ? { message: body.message } : {}) },
    };
  }
  if (body.reject === true) return { status: "rejected", reply: { reject: true } };
  return { status: "answered", reply: { answers: body.answers ?? [] } };
}

/** Why the orchestrator closes open requests itself. */
export const INPUT_CLOSE_REASONS = ["timeout", "paused", "stopped", "cancelled", "restarted"] as const;
export type InputCloseReason = (typeof INPUT_CLOSE_REASONS)[number];

/**
 * How an open request ends when nobody answers it, and what the agent is
 * told. Only a timeout leaves the turn running, so only its message reaches
 * the agent (a permission's reject message, or the prompt after a question's
 * reject); the others abort the turn, and the message is for the event log.
 */
export function decideInputClose(reason: InputCloseReason): { status: "expired" | "cancelled"; message: string } {
  switch (reason) {
    case "timeout":
      return {
        status: "expired",
        message:
          "Nobody answered this request in time, so it was declined. Carry on without it, or find another way that needs no permission.",
      };
    case "paused":
      return {
        status: "cancelled",
        message: "The session was paused; the request was withdrawn. Ask again after it resumes if it is still needed.",
      };
    case "stopped":
      return { status: "cancelled", message: "The session was stopped; the request was withdrawn." };
    case "cancelled":
      return { status: "cancelled", message: "The session was cancelled; the request was withdrawn." };
    case "restarted":
      return {
        status: "cancelled",
        message: "The attempt started over (its runner stopped); the new attempt asks again.",
      };
  }
}

/** The reply the lease holder sends OpenCode for a request that expired: a reject (with the message, where OpenCode takes one). */
export function computeExpiryReply(kind: InputRequestKind): InputReply {
  return kind === "permission" ? { reply: "reject", message: decideInputClose("timeout").message } : { reject: true };
}
