import { z } from "zod";
import {
  AgentFleetStatsSchema,
  AgentPerformanceSchema,
  AgentSchema,
  CreateAgentBody,
  DeleteAgentQuery,
  ListAgentsQuery,
  MaintenanceBody,
  PatchAgentBody,
  RouteBody,
  RouteDecisionSchema,
} from "../agents";
import { IdParams, pageOf } from "../common";
import { EmptyBody } from "../sessions";
import { route, type RouteDef } from "./route";

/**
 * Agents: the fleet, registration, profile changes, heartbeat, drain,
 * maintenance, performance, and dry-run routing.
 */
export const agentRoutes = {
  createAgent: route({
    method: "POST",
    path: "/api/v1/agents",
    summary: "Register an agent (capabilities add to its type's defaults)",
    tag: "Agents",
    body: CreateAgentBody,
    response: AgentSchema,
    status: 201,
  }),
  listAgents: route({
    method: "GET",
    path: "/api/v1/agents",
    summary: "List agents by type, capability, tier, status, availability",
    tag: "Agents",
    query: ListAgentsQuery,
    response: pageOf(AgentSchema),
  }),
  agentStats: route({
    method: "GET",
    path: "/api/v1/agents/stats",
    summary: "The fleet: counts by status, tier and type, load, capacity, open breakers",
    tag: "Agents",
    response: AgentFleetStatsSchema,
  }),
  routeAgent: route({
    method: "POST",
    path: "/api/v1/agents/route",
    summary: "Dry-run routing: the choice, its score breakdown, alternatives and why (no side effects)",
    tag: "Agents",
    body: RouteBody,
    response: RouteDecisionSchema,
  }),
  getAgent: route({
    method: "GET",
    path: "/api/v1/agents/:id",
    summary: "One agent with its stats, tier, breaker and load",
    tag: "Agents",
    params: IdParams,
    response: AgentSchema,
  }),
  patchAgent: route({
    method: "PATCH",
    path: "/api/v1/agents/:id",
    summary: "Change an agent's profile, capacity, runner or status",
    tag: "Agents",
    params: IdParams,
    body: PatchAgentBody,
    response: AgentSchema,
  }),
  deleteAgent: route({
    method: "DELETE",
    path: "/api/v1/agents/:id",
    summary: "Remove an idle agent (force: stop its running sessions first)",
    tag: "Agents",
    params: IdParams,
    query: DeleteAgentQuery,
    response: z.object({ deleted: z.literal(true), id: z.string(), stoppedSessions: z.array(z.string()) }),
  }),
  heartbeatAgent: route({
    method: "POST",
    path: "/api/v1/agents/:id/heartbeat",
    summary: "Record that the agent is alive",
    tag: "Agents",
    params: IdParams,
    body: EmptyBody,
    response: AgentSchema,
  }),
  drainAgent: route({
    method: "POST",
    path: "/api/v1/agents/:id/drain",
    summary: "Finish running sessions, take no new ones",
    tag: "Agents",
    params: IdParams,
    body: EmptyBody,
    response: AgentSchema,
  }),
  maintenanceAgent: route({
    method: "POST",
    path: "/api/v1/agents/:id/maintenance",
    summary: "Switch maintenance mode on or off (no new sessions while on)",
    tag: "Agents",
    params: IdParams,
    body: MaintenanceBody,
    response: AgentSchema,
  }),
  agentPerformance: route({
    method: "GET",
    path: "/api/v1/agents/:id/performance",
    summary: "Stats, per-capability success, tier history and recent sessions",
    tag: "Agents",
    params: IdParams,
    response: AgentPerformanceSchema,
  }),
} as const satisfies Record<string, RouteDef>;
