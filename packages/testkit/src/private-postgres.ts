import { stopProcessGroup } from "./process-group";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "./redis-server";
import { waitFor } from "./wait-for";

export interface PrivatePostgres {
  readonly port: number;
  /** Its folder: the data directory, the socket and `postgres.log`. */
  readonly dir: string;
  /** Whether the postmaster runs now. */
  readonly running: boolean;
  /** `postgres://postgres@127.0.0.1:<port>/<database>` (trust auth on loopback). */
  url(database?: string): string;
  /** Starts the server again on the same port and data (after `stop`); resolves once it accepts queries. */
  start(): Promise<void>;
  /**
   * Stops it the way an operator's restart does (`fast`: SIGINT, open
   * connections are ended and clients see the server go away) or as a crash
   * (`immediate`: SIGQUIT, recovery at the next start). Resolves on exit.
   */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  /** Stops it whatever it is doing (its whole process group) and deletes its data. */
  destroy(): Promise<void>;
}

/** The newest Debian PostgreSQL install (`/usr/lib/postgresql/<major>/bin`). */
function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, "bin", "initdb"))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)");
  return join(root, newest, "bin");
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder of
 * its own, a free loopback port, trust auth, durability off for speed), which
 * a test may stop and start — the machine's own server is shared by every
 * other test and must never be restarted. The postmaster leads its own
 * process group; call `destroy()` in afterAll whatever happened.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const user = serverUser();
  // Its own folder directly under the temp dir: the server's user must reach it (a test's folder is 0700, root's).
  const dir = mkdtempSync(join(tmpdir(), "orch-private-pg-"));
  const data = join(dir, "data");
  if (user) chownSync(dir, user.uid, user.gid);
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(
    join(bin, "initdb"),
    ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"],
    { stdio: "pipe", ...asUser },
  );
  const port = await freePort();
  const logFile = join(dir, "postgres.log");
  let child: ChildProcess | null = null;
  const url = (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`;

  const accepts = async () => {
    const c = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.query("SELECT 1");
      return true;
    } finally {
      await c.end().catch(() => undefined);
    }
  };

  async function start(): Promise<void> {
    if (child) return;
    const log = openSync(logFile, "a");
    if (user) chownSync(logFile, user.uid, user.gid);
    const args = [
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=200",
    ];
    const c = spawn(join(bin, "postgres"), args, { detached: true, stdio: ["ignore", log, log], ...asUser });
    child = c;
    c.once("exit", () => {
      if (child === c) child = null;
    });
    await waitFor(
      async () =>
        child === c ? accepts() : Promise.reject(new Error(`postgres on port ${port} exited (see ${logFile})`)),
      `postgres on port ${port}`,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  }

  async function stop(mode: "fast" | "immediate" = "fast"): Promise<void> {
    const c = child;
    if (!c) return;
    const exited = new Promise((r) => c.once("exit", r));
    // The postmaster alone: it ends its backends itself, as pg_ctl stop does.
    c.kill(mode === "fast" ? "SIGINT" : "SIGQUIT");
    await exited;
  }

  await start();
  return {
    port,
    dir,
    get running() {
      return child !== null;
    },
    url,
    start,
    stop,
    async destroy() {
      if (child) await stopProcessGroup(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
