import { HealthSchema, ReadinessSchema } from "../health";
import { route, type RouteDef } from "./route";

/**
 * Liveness and readiness: the two routes a load balancer or Kubernetes probe
 * calls, without authentication.
 */
export const operationRoutes = {
  health: route({
    method: "GET",
    path: "/health",
    summary: "Liveness: the process is up",
    tag: "Operations",
    response: HealthSchema,
  }),
  ready: route({
    method: "GET",
    path: "/health/ready",
    summary: "Readiness: database, runners",
    tag: "Operations",
    response: ReadinessSchema,
  }),
} as const satisfies Record<string, RouteDef>;
