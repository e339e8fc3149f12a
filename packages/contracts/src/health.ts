import { z } from "zod";

export const ComponentHealth = z.object({
  status: z.enum(["up", "down", "standby"]),
  latencyMs: z.number().nullable(),
  detail: z.string().optional(),
});

export const HealthSchema = z.object({ status: z.literal("ok"), uptimeSeconds: z.number(), version: z.string(), replica: z.string() });
export const ReadinessSchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  components: z.record(z.string(), ComponentHealth),
});
