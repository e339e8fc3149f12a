import { z } from "zod";
import { IdParams, pageOf } from "../common";
import { EventsPageSchema } from "../events";
import { SessionTimelineSchema, TimelineQuery } from "../session-timeline";
import {
  ChainVerificationSchema,
  CheckpointParams,
  CheckpointSchema,
  CreateSessionBody,
  DiffSchema,
  EmptyBody,
  EventsQuery,
  ListSessionsQuery,
  MessageBody,
  PatchSessionBody,
  RetryBody,
  SessionSchema,
  SessionStatsSchema,
  SessionTreeSchema,
} from "../sessions";
import { route, type RouteDef } from "./route";

/** A POST on /api/v1/sessions/:id/<action> that answers the session. */
const sessionAction = (action: string, summary: string, body: z.ZodType = EmptyBody) =>
  route({
    method: "POST",
    path: `/api/v1/sessions/:id/${action}`,
    summary,
    tag: "Sessions",
    params: IdParams,
    body,
    response: SessionSchema,
  });

/**
 * Sessions: create, list, read, change, the lifecycle actions (start, pause,
 * resume, stop, cancel, retry), follow-up messages, the event log, the
 * checkpoint chain, the diff and the tree.
 */
export const sessionRoutes = {
  createSession: route({
    method: "POST",
    path: "/api/v1/sessions",
    summary: "Create a session (queued at once unless start=false)",
    tag: "Sessions",
    body: CreateSessionBody,
    response: SessionSchema,
    status: 201,
  }),
  listSessions: route({
    method: "GET",
    path: "/api/v1/sessions",
    summary: "List sessions with filters and cursor pagination",
    tag: "Sessions",
    query: ListSessionsQuery,
    response: pageOf(SessionSchema),
  }),
  sessionStats: route({
    method: "GET",
    path: "/api/v1/sessions/stats",
    summary: "Counts, queue depth, wait and run percentiles, tokens and cost",
    tag: "Sessions",
    response: SessionStatsSchema,
  }),
  sessionTimeline: route({
    method: "GET",
    path: "/api/v1/sessions/stats/timeline",
    summary:
      "Sessions finished (by status) and tokens and cost spent per bucket of [from, to); every bucket, zeros included (at most 2000)",
    tag: "Sessions",
    query: TimelineQuery,
    response: SessionTimelineSchema,
  }),
  getSession: route({
    method: "GET",
    path: "/api/v1/sessions/:id",
    summary: "One session",
    tag: "Sessions",
    params: IdParams,
    response: SessionSchema,
  }),
  patchSession: route({
    method: "PATCH",
    path: "/api/v1/sessions/:id",
    summary: "Change title, priority, tags, metadata, or the time limit while not running",
    tag: "Sessions",
    params: IdParams,
    body: PatchSessionBody,
    response: SessionSchema,
  }),
  deleteSession: route({
    method: "DELETE",
    path: "/api/v1/sessions/:id",
    summary: "Soft-delete a session in a terminal state",
    tag: "Sessions",
    params: IdParams,
    response: z.object({ deleted: z.literal(true), id: z.string() }),
  }),
  startSession: sessionAction("start", "Queue a session created with start=false"),
  pauseSession: sessionAction("pause", "Pause: abort the current turn, keep the worktree and OpenCode session"),
  resumeSession: sessionAction("resume", "Resume a paused session with a continuation prompt"),
  stopSession: sessionAction("stop", "Stop: abort the turn; nothing retries it automatically"),
  cancelSession: sessionAction("cancel", "Withdraw a session that has not run, or is paused"),
  retrySession: sessionAction(
    "retry",
    "Retry a failed, timed-out or stopped session (from the latest checkpoint, a given one, or fresh)",
    RetryBody,
  ),
  messageSession: route({
    method: "POST",
    path: "/api/v1/sessions/:id/messages",
    summary: "Send a follow-up instruction to a running or paused session",
    tag: "Sessions",
    params: IdParams,
    body: MessageBody,
    response: SessionSchema,
    status: 202,
  }),
  sessionEvents: route({
    method: "GET",
    path: "/api/v1/sessions/:id/events",
    summary: "The event log after a seq (replay), or from its end backwards (order=desc, before=)",
    tag: "Sessions",
    params: IdParams,
    query: EventsQuery,
    response: EventsPageSchema,
  }),
  listCheckpoints: route({
    method: "GET",
    path: "/api/v1/sessions/:id/checkpoints",
    summary: "The checkpoint chain",
    tag: "Checkpoints",
    params: IdParams,
    response: z.object({ items: z.array(CheckpointSchema) }),
  }),
  createCheckpoint: route({
    method: "POST",
    path: "/api/v1/sessions/:id/checkpoints",
    summary: "Write a manual checkpoint now",
    tag: "Checkpoints",
    params: IdParams,
    body: EmptyBody,
    response: CheckpointSchema,
    status: 201,
  }),
  verifyCheckpoints: route({
    method: "GET",
    path: "/api/v1/sessions/:id/checkpoints/verify",
    summary: "Recompute the hash chain and name the first broken link",
    tag: "Checkpoints",
    params: IdParams,
    response: ChainVerificationSchema,
  }),
  restoreCheckpoint: route({
    method: "POST",
    path: "/api/v1/sessions/:id/checkpoints/:seq/restore",
    summary: "Rewind OpenCode and the worktree to a checkpoint",
    tag: "Checkpoints",
    params: CheckpointParams,
    body: EmptyBody,
    response: SessionSchema,
  }),
  sessionDiff: route({
    method: "GET",
    path: "/api/v1/sessions/:id/diff",
    summary: "The worktree's diff against its base",
    tag: "Sessions",
    params: IdParams,
    response: DiffSchema,
  }),
  sessionTree: route({
    method: "GET",
    path: "/api/v1/sessions/:id/tree",
    summary: "Parent and child sessions",
    tag: "Sessions",
    params: IdParams,
    response: SessionTreeSchema,
  }),
} as const satisfies Record<string, RouteDef>;
