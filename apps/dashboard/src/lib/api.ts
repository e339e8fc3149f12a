import { createApiClient, type ApiClient } from "@industrial/contracts";

/**
 * The orchestrator's base URL: the same origin in the embedded default (the
 * orchestrator serves this dashboard), or NEXT_PUBLIC_ORCHESTRATOR_URL,
 * fixed at build time, for a standalone dashboard.
 */
export const ORCHESTRATOR_URL = (process.env.NEXT_PUBLIC_ORCHESTRATOR_URL ?? "").replace(/\/$/, "");

let client: ApiClient | null = null;

/** The one typed API client of the browser (the same door the CLI uses). */
export function getApi(): ApiClient {
  client ??= createApiClient({ baseUrl: ORCHESTRATOR_URL, timeoutMs: 15_000 });
  return client;
}
