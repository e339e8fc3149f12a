import { routes } from "@industrial/contracts";
import type { Clock } from "@industrial/core";
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

export function registerAgentRoutes(app: FastifyInstance, clock: Clock): void {
  const view = (a: Parameters<typeof toAgentView>[0]) => toAgentView(a, clock.now());

  defineRoute(app, routes.createAgent, async ({ deps, body }) => view(await createAgent(deps, body)));
  defineRoute(app, routes.listAgents, ({ deps, query }) => listAgentPage(deps, query));
  defineRoute(app, routes.agentStats, ({ deps }) => fleetStats(deps));
  defineRoute(app, routes.routeAgent, ({ deps, body }) => routeDryRun(deps, body));
  defineRoute(app, routes.getAgent, async ({ deps, params }) => view(await getAgentById(deps, params.id)));
  defineRoute(app, routes.patchAgent, async ({ deps, params, body }) => view(await patchAgent(deps, params.id, body)));
  defineRoute(app, routes.deleteAgent, async ({ deps, params, query }) => ({
    deleted: true as const,
    id: params.id,
    stoppedSessions: await deleteAgent(deps, params.id, query.force),
  }));
  defineRoute(app, routes.heartbeatAgent, async ({ deps, params }) => view(await heartbeatAgent(deps, params.id)));
  defineRoute(app, routes.drainAgent, async ({ deps, params }) => view(await drainAgent(deps, params.id)));
  defineRoute(app, routes.maintenanceAgent, async ({ deps, params, body }) =>
    view(await setMaintenance(deps, params.id, body)),
  );
  defineRoute(app, routes.agentPerformance, ({ deps, params }) => agentPerformance(deps, params.id));
}
