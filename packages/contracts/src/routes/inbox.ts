import { pageOf } from "../common";
import { InboxItemSchema, InboxParams, InputReplyBody, InputRequestSchema, ListInboxQuery } from "../inbox";
import { route, type RouteDef } from "./route";

/**
 * The inbox: open permission and question requests from running sessions, and
 * the reply to one.
 */
export const inboxRoutes = {
  listInbox: route({
    method: "GET",
    path: "/api/v1/inbox",
    summary: "The tenant's open permission and question requests, oldest first, by session, agent or kind",
    tag: "Inbox",
    query: ListInboxQuery,
    response: pageOf(InboxItemSchema),
  }),
  replyInputRequest: route({
    method: "POST",
    path: "/api/v1/inbox/:requestId/reply",
    summary:
      "Answer a request: {reply: once|always|reject, message?} for a permission, {answers} or {reject: true} for a question (409 when it is no longer open; 400 names the field that does not fit)",
    tag: "Inbox",
    params: InboxParams,
    body: InputReplyBody,
    response: InputRequestSchema,
  }),
} as const satisfies Record<string, RouteDef>;
