import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { tempDir } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboardHandler, isDashboardPath } from "./dashboard";

describe("serving the built dashboard", () => {
  const dir = tempDir("dashboard-");
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // A build's outline: Next itself is only loaded for pages, never for these asset requests.
    mkdirSync(join(dir.path, ".next", "static", "chunks"), { recursive: true });
    writeFileSync(join(dir.path, ".next", "BUILD_ID"), "test");
    writeFileSync(join(dir.path, ".next", "static", "chunks", "app.js"), "console.log(1)");
    writeFileSync(join(dir.path, "secret.txt"), "no");
    const handler = createDashboardHandler({ dir: dir.path, log: () => undefined })!;
    server = createServer((req, res) => void handler.handle(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    dir.remove();
  });

  it("leaves the orchestrator's own paths to it", () => {
    for (const p of [
      "/api/v1/sessions",
      "/api",
      "/ws/sessions/x",
      "/health",
      "/health/ready",
      "/docs",
      "/docs/static/x",
      "/openapi.json",
      "/metrics",
      "/api?x=1",
    ])
      expect(isDashboardPath(p), p).toBe(false);
    for (const p of [
      "/",
      "/sessions",
      "/sessions/abc",
      "/agents?type=reviewer",
      "/_next/static/chunks/a.js",
      "/apis",
      "/healthy",
    ])
      expect(isDashboardPath(p), p).toBe(true);
  });

  it("serves hashed assets as immutable, and nothing outside .next/static", async () => {
    const ok = await fetch(`${base}/_next/static/chunks/app.js`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/javascript");
    expect(ok.headers.get("cache-control")).toContain("immutable");
    expect(await ok.text()).toBe("console.log(1)");
    expect((await fetch(`${base}/_next/static/chunks/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/_next/static/..%2F..%2Fsecret.txt`)).status).toBe(404);
  });

  it("is not created without a build", () => {
    const empty = tempDir("dashboard-empty-");
    expect(createDashboardHandler({ dir: empty.path, log: () => undefined })).toBeNull();
    empty.remove();
  });
});
