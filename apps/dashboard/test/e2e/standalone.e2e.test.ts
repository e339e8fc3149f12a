import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The dashboard image's steps outside Docker (apps/dashboard/Dockerfile): the
 * global setup ran `next build` (standalone output); this lays the build out
 * as the image's runtime stage does — `.next/standalone` as the app root,
 * `.next/static` copied beside server.js — in a directory of its own, starts
 * `node apps/dashboard/server.js` on HOSTNAME/PORT, and checks it serves
 * pages, dynamic routes and the assets the pages load.
 */
const DASHBOARD = fileURLToPath(new URL("../..", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe("the standalone dashboard server (the dashboard image's runtime)", () => {
  let root = "";
  let server: ChildProcess | null = null;
  let base = "";
  const output: string[] = [];

  beforeAll(async () => {
    const standalone = join(DASHBOARD, ".next/standalone");
    // The build must be standalone: a build without it would leave the image with nothing to run.
    expect(
      existsSync(join(standalone, "apps/dashboard/server.js")),
      "next build wrote .next/standalone/apps/dashboard/server.js",
    ).toBe(true);
    root = mkdtempSync(join(tmpdir(), "dashboard-image-"));
    cpSync(standalone, root, { recursive: true });
    cpSync(join(DASHBOARD, ".next/static"), join(root, "apps/dashboard/.next/static"), { recursive: true });

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ["apps/dashboard/server.js"], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        HOSTNAME: "127.0.0.1",
        PORT: String(port),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (d: Buffer) => output.push(String(d)));
    server.stderr!.on("data", (d: Buffer) => output.push(String(d)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server.js exited with ${server.exitCode}:\n${output.join("")}`);
      const up = await fetch(base).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`server.js did not answer within 60 s:\n${output.join("")}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("serves the pages, a dynamic route included", async () => {
    for (const path of [
      "/",
      "/sessions",
      "/agents",
      "/tasks",
      "/runners",
      "/contexts",
      "/sessions/00000000-0000-4000-8000-000000000001",
    ]) {
      const r = await fetch(`${base}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get("content-type"), path).toMatch(/text\/html/);
    }
  });

  it("serves every script and stylesheet the overview page loads (the static files copied beside server.js)", async () => {
    const html = await (await fetch(base)).text();
    const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/_next\/static\/[^"]+)"/g)].map((m) => m[1]!))];
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
    for (const a of assets) expect((await fetch(`${base}${a}`)).status, a).toBe(200);
  });

  it("says nothing of the orchestrator's paths unless it was built to proxy them", async () => {
    // The embedded build has no rewrites: an ingress routes /api and /ws to the orchestrator.
    expect((await fetch(`${base}/api/v1/sessions`)).status).toBe(404);
  });
});
