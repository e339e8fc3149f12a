import { stopProcessGroup } from "./process-group";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./redis-server";
import { waitFor } from "./wait-for";

export interface TestGitDaemon {
  readonly port: number;
  /** The folder whose bare repositories it serves. */
  readonly baseDir: string;
  /** Whether the daemon process is running now. */
  readonly running: boolean;
  /** `git://127.0.0.1:<port>/<name>`. */
  url(name: string): string;
  /** Makes `<baseDir>/<name>` a bare repository (served once the daemon runs); returns its path. */
  initBare(name: string): string;
  /** Starts the daemon on its port and waits until it answers. */
  start(): Promise<void>;
  /** Kills the daemon (its whole process group) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * A `git daemon` of the test's own, serving the bare repositories of
 * `baseDir` over git:// on a free loopback port, pushes allowed (a real git
 * server protocol, as a work remote in a cluster). Not started: call
 * `start()` — a test may first use the port while nothing listens on it (a
 * remote that is down). It runs in its own process group; call `stop()` in
 * afterAll whatever happened.
 */
export async function createTestGitDaemon(baseDir: string, port?: number): Promise<TestGitDaemon> {
  const chosen = port ?? (await freePort());
  mkdirSync(baseDir, { recursive: true });
  let child: ChildProcess | null = null;
  const args = [
    "daemon",
    `--base-path=${baseDir}`,
    "--export-all",
    "--enable=receive-pack",
    "--reuseaddr",
    "--listen=127.0.0.1",
    `--port=${chosen}`,
  ];
  const answers = () => {
    try {
      // Listing a repository that does not exist still proves the daemon speaks: it answers with an error line.
      execFileSync("git", ["ls-remote", `git://127.0.0.1:${chosen}/.probe.git`], { stdio: "pipe", timeout: 2000 });
      return true;
    } catch (e) {
      return /access denied or repository not exported|not found|does not appear/i.test(
        String((e as { stderr?: Buffer }).stderr ?? ""),
      );
    }
  };
  async function stop(): Promise<void> {
    if (child) await stopProcessGroup(child, "SIGTERM");
  }
  return {
    port: chosen,
    baseDir,
    get running() {
      return child !== null;
    },
    url: (name) => `git://127.0.0.1:${chosen}/${name}`,
    initBare(name) {
      const path = join(baseDir, name);
      mkdirSync(path, { recursive: true });
      execFileSync("git", ["init", "--quiet", "--bare"], { cwd: path });
      return path;
    },
    async start() {
      if (child) return;
      const c = spawn("git", args, { detached: true, stdio: "ignore" });
      child = c;
      c.once("exit", () => {
        if (child === c) child = null;
      });
      try {
        await waitFor(
          async () => (child === c ? answers() : Promise.reject(new Error(`git daemon on port ${chosen} exited`))),
          `git daemon on port ${chosen}`,
          { timeoutMs: 10_000, intervalMs: 100 },
        );
      } catch (e) {
        await stop();
        throw e;
      }
    },
    stop,
  };
}
