import { accessRoutes } from "./routes/access";
import { agentRoutes } from "./routes/agents";
import { contextRoutes } from "./routes/contexts";
import { inboxRoutes } from "./routes/inbox";
import { operationRoutes } from "./routes/operations";
import type { RouteDef } from "./routes/route";
import { runnerRoutes } from "./routes/runners";
import { sessionRoutes } from "./routes/sessions";
import { taskRoutes } from "./routes/tasks";
import { tenantRoutes } from "./routes/tenants";

export type { RouteDef } from "./routes/route";
export { ErrorEnvelope } from "./common";

/**
 * Every route of the API, declared once: the server validates with these
 * schemas, the client parses responses with them, and /openapi.json is
 * generated from them. Each resource group lives in `routes/<group>.ts`.
 *
 * The order of the spread is the order of the catalogue, and so of the
 * OpenAPI document's paths, tags and component names (`openapi.ts` walks
 * `Object.entries(routes)`): append a new group, don't reshuffle.
 */
export const routes = {
  ...operationRoutes,
  ...sessionRoutes,
  ...inboxRoutes,
  ...agentRoutes,
  ...runnerRoutes,
  ...taskRoutes,
  ...contextRoutes,
  ...tenantRoutes,
  ...accessRoutes,
} as const satisfies Record<string, RouteDef>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
