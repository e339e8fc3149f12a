import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { startOrchestrator, type Orchestrator } from "@industrial/server";
import {
  createTestDatabase,
  tempDir,
  TEST_ADMIN_KEY,
  testAuthEnv,
  testBackend,
  type TestDatabase,
} from "@industrial/testkit";

/**
 * For the CLI's integration tests: a real orchestrator started in the test's
 * process (demo mode, scripted model, the project's storage backend — PGlite,
 * or a PostgreSQL clone in the `int-postgres` project), and the CLI in a child
 * process, as people run it.
 *
 * Which file the child runs: the installed entry (`bin/orchestrator.js`)
 * registers tsx, which compiles each of the CLI's modules with esbuild at every
 * start, about a second of CPU; a hundred commands across the suite spent
 * minutes of CI there. So the commands run the same sources compiled once by
 * the same compiler into one module (`main.ts`, bundled; `start` and `migrate`
 * load the server, which stays outside it: their tests start `bin/orchestrator.js`
 * in testing/server-process.ts). `entry: "bin"` runs the installed entry itself.
 */
const BIN = fileURLToPath(new URL("../../bin/orchestrator.js", import.meta.url));
const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

let bundled: Promise<string> | null = null;
const bundleDir = tempDir("orch-cli-bundle-");
const BUNDLE = join(bundleDir.path, "orchestrator.mjs");
process.once("exit", () => bundleDir.remove());

/** The CLI compiled into one ES module, once per test file. */
function cliBundle(): Promise<string> {
  return (bundled ??= build({
    entryPoints: [MAIN],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: BUNDLE,
    external: ["@industrial/server"],
    // CommonJS dependencies (commander) require Node's built-ins: give the module a require.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    logLevel: "warning",
  }).then(() => BUNDLE));
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Variables for this run on top of the defaults; `undefined` removes one (`ORCHESTRATOR_TOKEN: undefined`: no test admin key). */
  env?: Record<string, string | undefined>;
  /** Written to the CLI's stdin, which is then closed (default: no stdin at all). */
  stdin?: string;
  /** `bin`: the installed entry (tsx at run time) instead of the compiled CLI (see above). */
  entry?: "bin";
}

export interface CliHarness {
  readonly url: string;
  /** Runs the CLI against this server (ORCHESTRATOR_URL, NO_COLOR) and collects its exit code and output. */
  cli(...args: string[]): Promise<CliRun>;
  /** The same with other environment variables or stdin (login, other keys, no key at all). */
  cliWith(options: CliRunOptions, ...args: string[]): Promise<CliRun>;
  stop(): Promise<void>;
}

export async function startCliHarness(env: Record<string, string> = {}): Promise<CliHarness> {
  const pg: TestDatabase | null = testBackend() === "postgres" ? await createTestDatabase("postgres") : null;
  const dataDir = tempDir("orch-cli-data-");
  let server: Orchestrator;
  try {
    server = await startOrchestrator({
      env: {
        ...process.env,
        PORT: "0",
        ORCHESTRATOR_DATA_DIR: dataDir.path,
        // Tests name temp dirs as workspaces; the data dir, also under it, stays refused.
        ORCHESTRATOR_WORKSPACE_ROOTS: tmpdir(),
        ORCHESTRATOR_DEMO: "1",
        ...testAuthEnv(),
        LOG_LEVEL: "silent",
        ORCHESTRATOR_POLL_INTERVAL_MS: "50",
        ORCHESTRATOR_RATE_LIMIT: "0",
        // Never the developer's database: a clone on the postgres project, PGlite in the data dir otherwise.
        DATABASE_URL: pg?.url ?? undefined,
        ...env,
      },
    });
  } catch (e) {
    await pg?.drop();
    dataDir.remove();
    throw e;
  }
  const url = server.url;
  const cliWith = async (options: CliRunOptions, ...args: string[]): Promise<CliRun> => {
    const entry = options.entry === "bin" ? BIN : await cliBundle();
    return new Promise((resolve, reject) => {
      // spawn leaves out variables whose value is undefined.
      const env = {
        ...process.env,
        ORCHESTRATOR_URL: url,
        ORCHESTRATOR_TOKEN: TEST_ADMIN_KEY,
        NO_COLOR: "1",
        ...options.env,
      };
      const child = spawn(process.execPath, [entry, ...args], {
        env,
        stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      if (options.stdin !== undefined) child.stdin?.end(options.stdin);
    });
  };
  return {
    url,
    cli: (...args) => cliWith({}, ...args),
    cliWith,
    stop: async () => {
      await server.stop();
      await pg?.drop();
      dataDir.remove();
    },
  };
}
