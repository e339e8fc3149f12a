// @ts-check
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));

/** @type {import("next").NextConfig} */
const config = {
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

export default config;
