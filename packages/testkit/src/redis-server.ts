import { stopProcessGroup } from "./process-group";
import { spawn, type ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";
import { waitFor } from "./wait-for";

export interface TestRedisServer {
  readonly port: number;
  readonly url: string;
  /** Whether the server process is running now. */
  readonly running: boolean;
  /** Kills the server (its whole process group) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  start(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it; a race with another process is possible but rare). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = createConnection({ host: "127.0.0.1", port }, () => {
      c.destroy();
      resolve(true);
    });
    c.on("error", () => resolve(false));
  });

/**
 * A `redis-server` of the test's own on a free loopback port, so a test may
 * stop it (the machine's Redis is shared by every test). It runs in its own
 * process group; call `stop()` in afterAll whatever happened.
 */
export async function startTestRedisServer(): Promise<TestRedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    if (child) return;
    const c = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { detached: true, stdio: "ignore" },
    );
    child = c;
    c.once("exit", () => {
      if (child === c) child = null;
    });
    try {
      await waitFor(
        async () =>
          child === c ? await accepts(port) : Promise.reject(new Error(`redis-server on port ${port} exited`)),
        `redis-server on port ${port}`,
        { timeoutMs: 10_000, intervalMs: 50 },
      );
    } catch (e) {
      await stop();
      throw e;
    }
  };
  async function stop() {
    if (child) await stopProcessGroup(child);
  }
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null;
    },
    stop,
    start,
  };
}
