import { z } from "zod";

export const ComponentHealth = z.object({
  /** `degraded`: not answering, but the replica serves without it (Redis: fan-out falls back to local delivery and the log). */
  status: z.enum(["up", "down", "standby", "degraded"]),
  latencyMs: z.number().nullable(),
  detail: z.string().optional(),
});

/** One component's line in readiness (database, Redis, the sandbox, each runner). */
export type ComponentHealthView = z.infer<typeof ComponentHealth>;

export const HealthSchema = z.object({
  status: z.literal("ok"),
  uptimeSeconds: z.number(),
  version: z.string(),
  replica: z.string(),
});
export const ReadinessSchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  components: z.record(z.string(), ComponentHealth),
});
