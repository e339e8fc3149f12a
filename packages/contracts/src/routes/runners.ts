import { z } from "zod";
import { IdParams, pageOf } from "../common";
import { DeleteRunnerQuery, ListRunnersQuery, RegisterRunnerBody, RunnerSchema } from "../runners";
import { EmptyBody } from "../sessions";
import { route, type RouteDef } from "./route";

/** Runners: the managed and remote OpenCode servers sessions run on. */
export const runnerRoutes = {
  listRunners: route({
    method: "GET",
    path: "/api/v1/runners",
    summary: "Managed and remote OpenCode servers: url, version, health, running sessions, memory, breaker",
    tag: "Runners",
    query: ListRunnersQuery,
    response: pageOf(RunnerSchema),
  }),
  registerRunner: route({
    method: "POST",
    path: "/api/v1/runners",
    summary: "Register a remote OpenCode server (checked at once, then every few seconds)",
    tag: "Runners",
    body: RegisterRunnerBody,
    response: RunnerSchema,
    status: 201,
  }),
  deleteRunner: route({
    method: "DELETE",
    path: "/api/v1/runners/:id",
    summary: "Remove a remote runner no agent is bound to and no session runs on (force: anyway)",
    tag: "Runners",
    params: IdParams,
    query: DeleteRunnerQuery,
    response: z.object({ deleted: z.literal(true), id: z.string() }),
  }),
  recycleRunner: route({
    method: "POST",
    path: "/api/v1/runners/:id/recycle",
    summary: "Drain a managed runner and replace its process; its running sessions finish on it",
    tag: "Runners",
    params: IdParams,
    body: EmptyBody,
    response: RunnerSchema,
    status: 202,
  }),
} as const satisfies Record<string, RouteDef>;
