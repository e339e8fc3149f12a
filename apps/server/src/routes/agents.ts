import { routes } from "@industrial/contracts";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import {
  agentPerformance,
  createAgent,
  deleteAgent,
  drainAgent,
  fleetStats,
  getAgentById,
  heartbeatAgent,
  listAgentPage,
  patchAgent,
  routeDryRun,
  setMaintenance,
  toAgentView,
} from "../services/agents";
import type { ServiceDeps } from "../services/deps";

export function registerAgentRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  const view = (a: Parameters<typeof toAgentView>[0]) => toAgentView(a, deps.clock.now());

  defineRoute(app, routes.createAgent, async ({ body }) => view(await createAgent(deps, body)));
  defineRoute(app, routes.listAgents, ({ query }) => listAgentPage(deps, query));
  defineRoute(app, routes.agentStats, () => fleetStats(deps));
  defineRoute(app, routes.routeAgent, ({ body }) => routeDryRun(deps, body));
  defineRoute(app, routes.getAgent, async ({ params }) => view(await getAgentById(deps, params.id)));
  defineRoute(app, routes.patchAgent, async ({ params, body }) => view(await patchAgent(deps, params.id, body)));
  defineRoute(app, routes.deleteAgent, async ({ params, query }) => ({
    deleted: true as const,
    id: params.id,
    stoppedSessions: await deleteAgent(deps, params.id, query.force),
  }));
  defineRoute(app, routes.heartbeatAgent, async ({ params }) => view(await heartbeatAgent(deps, params.id)));
  defineRoute(app, routes.drainAgent, async ({ params }) => view(await drainAgent(deps, params.id)));
  defineRoute(app, routes.maintenanceAgent, async ({ params, body }) => view(await setMaintenance(deps, params.id, body)));
  defineRoute(app, routes.agentPerformance, ({ params }) => agentPerformance(deps, params.id));
}
