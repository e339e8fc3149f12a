import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Browser tests: the real orchestrator (PGlite, a managed `opencode serve`,
 * the scripted model) serving the built dashboard, driven by playwright-core
 * through Debian's Chromium. Run with `npm run test:e2e` (not part of `npm test`).
 */
export default defineConfig({
  test: {
    name: "e2e",
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["test/e2e/**/*.e2e.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    env: { ORCHESTRATOR_TEST_DB: "pglite" },
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two files at a time, each with its own server and browser: 282 s against 321 s one by one on 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
