import { routes } from "@industrial/contracts";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import { listInboxPage, replyToInputRequest } from "../services/inbox";

export function registerInboxRoutes(app: FastifyInstance): void {
  defineRoute(app, routes.listInbox, async ({ deps, query }) => listInboxPage(deps, query));
  defineRoute(app, routes.replyInputRequest, async ({ deps, params, body }) =>
    replyToInputRequest(deps, params.requestId, body),
  );
}
