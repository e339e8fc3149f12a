import { defineConfig } from "vitest/config";

// Three projects: pure unit tests, and the integration suite once per storage
// backend (embedded PGlite, real PostgreSQL on 127.0.0.1). Integration files
// read ORCHESTRATOR_TEST_DB to pick their backend through @industrial/testkit.
const ONCE_ON_PGLITE = [
  "apps/cli/**",
  "apps/server/src/json-logs.int.test.ts",
  "apps/server/src/metrics.int.test.ts",
  // Which frames the sessions room carries while five real sessions run: the hub's filter, not storage.
  "apps/server/src/ws-sessions-feed.int.test.ts",
  "apps/server/src/health.int.test.ts",
  // OpenCode processes: started, checked, recycled; the rows they write are plain.
  "apps/server/src/runners-api.int.test.ts",
  "apps/server/src/remote-runner-config.int.test.ts",
  "apps/server/src/runner-recycling.int.test.ts",
  "apps/server/src/runner-scaling.int.test.ts",
  "apps/server/src/provider-trouble.int.test.ts",
  // People asked through OpenCode: the driver and the lease holder. Their storage (input_requests, the inbox, pendingInput)
  // runs on both backends in db input-requests.int and inbox.int.
  "apps/server/src/input-requests.int.test.ts",
  "apps/server/src/input-requests-restart.int.test.ts",
  "apps/server/src/model-fallback.int.test.ts",
  "apps/server/src/runner-crash.int.test.ts",
  // The sandbox around agents' commands: bubblewrap and the runner's shell, nothing of storage.
  "apps/server/src/sandbox.int.test.ts",
  "apps/server/src/file-tools-held.int.test.ts",
  "apps/server/src/shared-workspaces.int.test.ts",
  "apps/server/src/sandbox-git-escape.int.test.ts",
  "apps/server/src/sandbox-policy.int.test.ts",
  "apps/server/src/sandbox-modes.int.test.ts",
  // Input validation at the edge, ten thousand requests: its subject is the HTTP layer (checked once on PostgreSQL too when written).
  "apps/server/src/api-fuzz.int.test.ts",
  // Starts its own server processes on the embedded default (no DATABASE_URL whatever the project).
  "apps/server/src/secrets-never-leak.int.test.ts",
  "apps/server/src/runner-password.int.test.ts",
  // Rate limits, CORS, Host allow-list, security headers: the HTTP edge, not storage (Redis and two replicas: rate-limit.pg.int.test.ts).
  "apps/server/src/edge-hardening.int.test.ts",
  // The notify webhook's HTTP to a local receiver and its in-memory queue; its stored setting runs on both (notify-webhook-settings.int.test.ts).
  "apps/server/src/notify-webhook.int.test.ts",
  "apps/server/src/notify-webhook-queue.int.test.ts",
  // Git: pushes to a work remote behind git daemon, mirrors of repositories by URL, warm slots' folders and
  // workspace roots. The push bookkeeping they store runs on both backends in db checkpoint-pushes.int.
  "apps/server/src/work-remote.int.test.ts",
  "apps/server/src/repository-urls.int.test.ts",
  "apps/server/src/warm-slots.int.test.ts",
  "apps/server/src/workspace-roots.int.test.ts",
  // Finished sessions' folders removed once pushed, branches of deleted sessions: git and timers (pushes stored: checkpoint-pushes.int).
  "apps/server/src/worktree-retention.int.test.ts",
  // The WebSocket transport of one replica: a live session's frames, a slow consumer cut, in-process fan-out.
  // Replay from the event log runs on both backends in ws-protocol.int; fan-out between replicas in redis-fanout.pg.int.
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
    // Tests whose subject is not storage (the CLI over HTTP, `npm start`'s log stream, /metrics, readiness, runner processes)
    // run once, on the embedded default: running them twice doubled CI time and proved nothing more.
    exclude:
      backend === "pglite"
        ? ["**/*.pg.int.test.ts", "**/node_modules/**"]
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
