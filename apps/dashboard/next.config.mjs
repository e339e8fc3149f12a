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

/**
 * `next dev` (port 3000) proxies the orchestrator's paths to a running
 * orchestrator (ORCHESTRATOR_DEV_URL, default http://127.0.0.1:8000), so the
 * same-origin client works while developing. Builds have no rewrites.
 */
export default function config(phase) {
  if (phase !== "phase-development-server") return base;
  const target = (process.env.ORCHESTRATOR_DEV_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
  return {
    ...base,
    async rewrites() {
      return ["/api/:path*", "/ws/:path*", "/health/:path*", "/health", "/docs/:path*", "/docs", "/openapi.json"].map((source) => ({
        source,
        destination: `${target}${source}`,
      }));
    },
  };
}
