import { defineConfig } from "vitest/config";

// Three projects: pure unit tests, and the integration suite once per storage
// backend (embedded PGlite, real PostgreSQL on 127.0.0.1). Integration files
// read ORCHESTRATOR_TEST_DB to pick their backend through @industrial/testkit.
//
// The storage layer runs on both: packages/db's integration tests (PGlite is
// PostgreSQL's own engine, so the same SQL; what differs is the driver and the one
// connection, which those tests cover), and the few server tests whose subject is
// what storage answers (event pages, replay, the inbox). Other whole-stack tests run once: on PGlite when
// the embedded default is part of its subject (the laptop: the CLI, `npm start`'s
// process, a restart over the same data dir), on PostgreSQL otherwise (what a
// cluster runs; an in-process PGlite also costs the test's own CPU, seconds a file).
// The browser suite runs on PGlite throughout.
const ONCE_ON_PGLITE = [
  "apps/cli/**",
  // Server processes started as `npm start` starts them: the embedded default, its log stream, readiness.
  "apps/server/src/json-logs.int.test.ts",
  "apps/server/src/health.int.test.ts",
  "apps/server/src/secrets-never-leak.int.test.ts",
  "apps/server/src/runner-password.int.test.ts",
  "apps/server/src/sandbox-modes.int.test.ts",
  // A restart over the same embedded data dir.
  "apps/server/src/crash-recovery.int.test.ts",
  "apps/server/src/tasks-restart.int.test.ts",
  "apps/server/src/input-requests-restart.int.test.ts",
];

const ONCE_ON_POSTGRES = [
  // The API, the scheduler and sessions end to end.
  "apps/server/src/session-lifecycle.int.test.ts",
  "apps/server/src/tasks.int.test.ts",
  "apps/server/src/agent-fleet.int.test.ts",
  "apps/server/src/agent-gate.int.test.ts",
  "apps/server/src/access-matrix.int.test.ts",
  "apps/server/src/contexts.int.test.ts",
  "apps/server/src/tenants.int.test.ts",
  "apps/server/src/retention.int.test.ts",
  "apps/server/src/metrics.int.test.ts",
  // Which frames the sessions room carries while five real sessions run: the hub's filter, not storage.
  "apps/server/src/ws-sessions-feed.int.test.ts",
  // OpenCode processes: started, checked, recycled; the rows they write are plain.
  "apps/server/src/runners-api.int.test.ts",
  "apps/server/src/remote-runner-config.int.test.ts",
  "apps/server/src/runner-recycling.int.test.ts",
  "apps/server/src/runner-scaling.int.test.ts",
  "apps/server/src/provider-trouble.int.test.ts",
  // People asked through OpenCode: the driver and the lease holder (their storage: db input-requests.int and inbox.int).
  "apps/server/src/input-requests.int.test.ts",
  "apps/server/src/model-fallback.int.test.ts",
  "apps/server/src/runner-crash.int.test.ts",
  // The sandbox around agents' commands: bubblewrap and the runner's shell, nothing of storage.
  "apps/server/src/sandbox.int.test.ts",
  "apps/server/src/file-tools-held.int.test.ts",
  "apps/server/src/shared-workspaces.int.test.ts",
  "apps/server/src/sandbox-git-escape.int.test.ts",
  "apps/server/src/sandbox-policy.int.test.ts",
  // Input validation at the edge, ten thousand requests: its subject is the HTTP layer.
  "apps/server/src/api-fuzz.int.test.ts",
  // Rate limits, CORS, Host allow-list, security headers: the HTTP edge (Redis and two replicas: rate-limit.pg.int).
  "apps/server/src/edge-hardening.int.test.ts",
  // The notify webhook's HTTP to a local receiver and its in-memory queue.
  "apps/server/src/notify-webhook.int.test.ts",
  "apps/server/src/notify-webhook-queue.int.test.ts",
  // Git: pushes to a work remote behind git daemon, mirrors of repositories by URL, warm slots' folders,
  // workspace roots, finished sessions' folders removed once pushed (push bookkeeping: db checkpoint-pushes.int).
  "apps/server/src/work-remote.int.test.ts",
  "apps/server/src/repository-urls.int.test.ts",
  "apps/server/src/warm-slots.int.test.ts",
  "apps/server/src/workspace-roots.int.test.ts",
  "apps/server/src/worktree-retention.int.test.ts",
  // The WebSocket transport of one replica (replay from the log runs on both in ws-protocol.int).
  "apps/server/src/ws-live-session.int.test.ts",
  "apps/server/src/ws-slow-consumer.int.test.ts",
  "apps/server/src/ws-fanout.int.test.ts",
];

const integration = (backend: "pglite" | "postgres") => ({
  test: {
    name: `int-${backend}`,
    include: ["packages/*/src/**/*.int.test.ts", "apps/*/src/**/*.int.test.ts", "test/**/*.int.test.ts"],
    // *.pg.int.test.ts need several processes on one database: PostgreSQL only.
    // Packages that never touch storage run their integration tests once (with PGlite).
    exclude:
      backend === "pglite"
        ? ["**/*.pg.int.test.ts", "**/node_modules/**", ...ONCE_ON_POSTGRES]
        : ["packages/opencode/**", "packages/scripted-model/**", "**/node_modules/**", ...ONCE_ON_PGLITE],
    env: { ORCHESTRATOR_TEST_DB: backend },
    // Real OpenCode processes and servers: generous, for CI machines several times slower than a quiet one.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    globalSetup: ["packages/testkit/src/global-setup.ts"],
  },
});

export default defineConfig({
  test: {
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".test-results/vitest.json" }]] : ["default"],
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: "unit",
          // Pure tests share one module graph per worker: each file re-importing zod schemas,
          // Fastify and the core cost more than the tests themselves.
          isolate: false,
          include: [
            "packages/*/src/**/*.test.ts",
            "apps/*/src/**/*.test.ts",
            "deploy/**/*.test.ts",
            "bench/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
      integration("pglite"),
      integration("postgres"),
    ],
  },
});
