import { defineConfig } from "vitest/config";

// The chaos suite (`npm run test:chaos`, test/chaos): three orchestrator processes
// on a private PostgreSQL, a Redis and a git daemon of its own, and the faults of
// issue 11 one scenario after another. One file, in one worker: the scenarios
// share the cluster and must not run beside each other, nor beside another suite.
export default defineConfig({
  test: {
    name: "chaos",
    include: ["test/chaos/**/*.chaos.test.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    // Generous per test (CI machines may be 2.5× slower); the whole suite is bounded by its own budget.
    testTimeout: 540_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".test-results/chaos.json" }]] : ["default"],
  },
});
