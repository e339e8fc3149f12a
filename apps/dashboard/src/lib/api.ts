import { createApiClient, type ApiClient } from "@industrial/contracts";
import { actingTenant } from "./acting-tenant";
import { goToSignIn } from "./go-to-sign-in";

/**
 * The orchestrator's base URL: the same origin in the embedded default (the
 * orchestrator serves this dashboard), or NEXT_PUBLIC_ORCHESTRATOR_URL,
 * fixed at build time, for a standalone dashboard.
 */
export const ORCHESTRATOR_URL = (process.env.NEXT_PUBLIC_ORCHESTRATOR_URL ?? "").replace(/\/$/, "");

/** Sign-in and sign-out answer for themselves: a wrong key is the sign-in form's error, not a redirect. */
const AUTH_PATHS = /\/api\/v1\/auth\//;

/**
 * fetch as the dashboard sends it: the session cookie goes along (same
 * origin; the browser attaches it, the page never sees it), the tenant an
 * operator chose goes as `X-Tenant-Id`, and a 401 anywhere sends the person
 * to sign in and back.
 */
async function dashboardFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const url = String(input instanceof Request ? input.url : input);
  const headers = new Headers(init.headers);
  const tenant = actingTenant.get();
  if (tenant && !AUTH_PATHS.test(url)) headers.set("x-tenant-id", tenant);
  const res = await fetch(input, { ...init, headers, credentials: "same-origin" });
  if (res.status === 401 && !AUTH_PATHS.test(url)) goToSignIn();
  return res;
}

let client: ApiClient | null = null;

/** The one typed API client of the browser (the same door the CLI uses). */
export function getApi(): ApiClient {
  client ??= createApiClient({ baseUrl: ORCHESTRATOR_URL, timeoutMs: 15_000, fetch: dashboardFetch });
  return client;
}
