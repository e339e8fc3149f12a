import {
  canAnswer,
  computeActor,
  computeInputRequestView,
  ForbiddenError,
  type InputRequestView,
} from "@industrial/core";
import type { InputReplyBody, ListInboxQuery } from "@industrial/contracts";
import { answerInputRequest, listInbox } from "@industrial/db";
import type { z } from "zod";
import { afterCommit, type ServiceDeps } from "./deps";

/*
 * The inbox (docs/input-requests.md §3, API): people read the tenant's open
 * input requests and answer them; the session's lease holder (on whichever
 * replica) forwards each answer to OpenCode.
 */

export function listInboxPage(deps: ServiceDeps, q: z.output<typeof ListInboxQuery>) {
  return listInbox(
    deps.db,
    { tenantId: deps.tenantId, sessionId: q.sessionId, agentId: q.agentId, kind: q.kind },
    { limit: q.limit, cursor: q.cursor },
  );
}

/**
 * A person's answer: 403 unless the caller may control the request's session
 * (its creator as member, a lead, an admin), 409 once the request is no longer
 * open, 400 naming the field that does not fit. After the commit the events go
 * out and the local scheduler is poked; a lease holder elsewhere finds the
 * answer at its next tick, as it finds a follow-up message.
 */
export async function replyToInputRequest(
  deps: ServiceDeps,
  requestId: string,
  body: z.output<typeof InputReplyBody>,
): Promise<InputRequestView> {
  const actor = { actor: computeActor(deps.caller), keyId: deps.caller.keyId, userId: deps.caller.userId };
  const done = await deps.db.transaction((tx) =>
    answerInputRequest(tx, deps.tenantId, requestId, {
      body,
      actor,
      authorize: (s) => {
        if (!canAnswer(deps.caller, s.createdBy))
          throw new ForbiddenError(
            `session ${s.id} was created by someone else: a member answers only its own sessions' requests; a lead or admin any`,
          );
      },
    }),
  );
  afterCommit(deps, done.events);
  deps.log.info({ sessionId: done.session.id, requestId, status: done.request.status }, "input request answered");
  return computeInputRequestView(done.request, done.session.title);
}
