// @ts-check
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));

/** @type {import("next").NextConfig} */
const base = {
  // One self-contained server for a cluster (`node .next/standalone/apps/dashboard/server.js`);
  // the embedded default loads the same build through Next's request handler.
  output: "standalone",
  // The workspace root, so standalone output traces the monorepo's packages.
  outputFileTracingRoot: join(here, "../.."),
  // The contracts and core packages ship TypeScript sources.
  transpilePackages: ["@industrial/contracts", "@industrial/core"],
  // `npm run typecheck` checks the dashboard; the build (run by `npm start` when
  // missing) skips it to stay fast on a small machine.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
  devIndicators: false,
  turbopack: {
    root: join(here, "../.."),
    // @industrial/core hashes checkpoints with node:crypto; the browser never
    // calls that code, so its import resolves to an empty module there.
    resolveAlias: { "node:crypto": { browser: "./src/lib/empty-module.ts" } },
  },
};

/** The orchestrator's own paths, which a dashboard on its own port forwards to it (WebSocket upgrades included). */
const ORCHESTRATOR_PATHS = [
  "/api/:path*",
  "/ws/:path*",
  "/health/:path*",
  "/health",
  "/docs/:path*",
  "/docs",
  "/openapi.json",
];

/**
 * `next dev` (port 3000) proxies the orchestrator's paths to a running
 * orchestrator (ORCHESTRATOR_DEV_URL, default http://127.0.0.1:8000), so the
 * same-origin client works while developing. A build proxies them only when
 * ORCHESTRATOR_PROXY_URL is set at build time (the standalone image of
 * apps/dashboard/Dockerfile, e.g. http://orchestrator:8000); the build the
 * orchestrator serves itself has no rewrites.
 */
export default function config(phase) {
  const dev = phase === "phase-development-server";
  const target = (
    dev ? (process.env.ORCHESTRATOR_DEV_URL ?? "http://127.0.0.1:8000") : (process.env.ORCHESTRATOR_PROXY_URL ?? "")
  ).replace(/\/$/, "");
  if (!target) return base;
  return {
    ...base,
    async rewrites() {
      return ORCHESTRATOR_PATHS.map((source) => ({ source, destination: `${target}${source}` }));
    },
  };
}
