import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The dashboard workspace (apps/dashboard), beside this app. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../../../dashboard", import.meta.url));

/** Paths that belong to the orchestrator itself, never to the dashboard. */
const OWN_PATHS = /^\/(api|ws|health|docs|openapi\.json|metrics)(\/|\?|$)/;

export function isDashboardPath(url: string): boolean {
  return !OWN_PATHS.test(url);
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * `/_next/static/…`: the build's hashed assets, immutable. Next's router
 * server serves them in `next start`; the embedded server uses Next's page
 * handler alone (which would also claim WebSocket upgrades), so they are
 * streamed from here. Returns false when the path is not such an asset.
 */
function serveStaticAsset(dir: string, url: string, res: ServerResponse, head: boolean): boolean {
  const path = decodeURIComponent(url.split("?")[0] ?? "");
  if (!path.startsWith("/_next/static/")) return false;
  const root = join(dir, ".next", "static");
  const file = normalize(join(root, path.slice("/_next/static/".length)));
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return true;
  }
  res.writeHead(200, {
    "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": statSync(file).size,
    "cache-control": "public, max-age=31536000, immutable",
  });
  if (head) res.end();
  else createReadStream(file).pipe(res);
  return true;
}

export interface DashboardHandler {
  /** The dashboard workspace whose `.next` build is served. */
  readonly dir: string;
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
export function createDashboardHandler(options: {
  dir: string;
  log: (msg: string, extra?: object) => void;
}): DashboardHandler | null {
  const { dir } = options;
  if (!isDashboardBuilt(dir)) return null;
  let server: NextServer | null = null;
  let ready: Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>> | null = null;
  const load = () =>
    (ready ??= (async () => {
      const started = Date.now();
      const requireFromDashboard = createRequire(join(dir, "package.json"));
      const next = requireFromDashboard("next") as (o: {
        dir: string;
        dev: boolean;
        quiet: boolean;
        customServer: boolean;
        conf: object;
      }) => NextServer;
      // Next's page handler alone (customServer: false): not its router server, which would also
      // take the HTTP server's WebSocket upgrades (/ws is the orchestrator's). It runs with the
      // config the build froze, as the standalone server.js does: next.config.mjs is not evaluated
      // again, and `output: "standalone"` (a build setting) is dropped for this server.
      const frozen = JSON.parse(readFileSync(join(dir, ".next", "required-server-files.json"), "utf8")) as {
        config: Record<string, unknown>;
      };
      server = next({
        dir,
        dev: false,
        quiet: true,
        customServer: false,
        conf: { ...frozen.config, output: undefined },
      });
      await server.prepare();
      options.log("dashboard ready", { dir, ms: Date.now() - started });
      return server.getRequestHandler();
    })());
  return {
    dir,
    async handle(req, res) {
      if (serveStaticAsset(dir, req.url ?? "/", res, req.method === "HEAD")) return;
      const handler = await load();
      await handler(req, res);
    },
    async close() {
      if (ready) await ready.catch(() => undefined);
      await server?.close();
    },
  };
}
