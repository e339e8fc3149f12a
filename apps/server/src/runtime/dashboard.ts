import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The dashboard workspace (apps/dashboard), beside this app. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../../../dashboard", import.meta.url));

/** Paths that belong to the orchestrator itself, never to the dashboard. */
const OWN_PATHS = /^\/(api|ws|health|docs|openapi\.json|metrics)(\/|\?|$)/;

export function isDashboardPath(url: string): boolean {
  return !OWN_PATHS.test(url);
}

export interface DashboardHandler {
  /** Answers one request with the built dashboard (pages, assets). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

interface NextServer {
  prepare(): Promise<void>;
  getRequestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  close(): Promise<void>;
}

/** Whether `next build` has run in the dashboard directory. */
export function isDashboardBuilt(dir: string): boolean {
  return existsSync(join(dir, ".next", "BUILD_ID"));
}

/**
 * Serves the built Next.js dashboard from this process: Next's own request
 * handler (production mode) on the orchestrator's port, for every path that
 * is not the API's. Next is loaded from the dashboard's own dependencies, and
 * only on the first page request, so a process (or a test) that never shows
 * a page never pays for it. Returns null when the dashboard is not built.
 */
export function createDashboardHandler(options: { dir: string; log: (msg: string, extra?: object) => void }): DashboardHandler | null {
  const { dir } = options;
  if (!isDashboardBuilt(dir)) return null;
  let server: NextServer | null = null;
  let ready: Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>> | null = null;
  const load = () =>
    (ready ??= (async () => {
      const started = Date.now();
      const requireFromDashboard = createRequire(join(dir, "package.json"));
      const next = requireFromDashboard("next") as (o: { dir: string; dev: boolean; quiet: boolean; customServer: boolean }) => NextServer;
      server = next({ dir, dev: false, quiet: true, customServer: true });
      await server.prepare();
      options.log("dashboard ready", { dir, ms: Date.now() - started });
      return server.getRequestHandler();
    })());
  return {
    async handle(req, res) {
      const handler = await load();
      await handler(req, res);
    },
    async close() {
      if (ready) await ready.catch(() => undefined);
      await server?.close();
    },
  };
}
