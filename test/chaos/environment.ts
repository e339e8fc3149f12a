import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createGitRepo,
  createTestGitDaemon,
  startPrivatePostgres,
  startTestRedisServer,
  tempDir,
  withAdmin,
  type PrivatePostgres,
  type TestGitDaemon,
  type TestRedisServer,
} from "@industrial/testkit";
import { DEFAULT_TENANT_ID } from "@industrial/core";
import { Cluster } from "./cluster";
import { startModelProcess, type ModelProcess } from "./model-process";

/** Everything a chaos run starts, so afterAll can end all of it whatever failed. */
export interface ChaosEnvironment {
  root: string;
  postgres: PrivatePostgres;
  databaseUrl: string;
  redis: TestRedisServer;
  git: TestGitDaemon;
  /** The scripted model the replicas share (its request log under `<root>/model/`). */
  model: ModelProcess;
  /** The work remote's bare repository, as the daemon serves it (read with git directly). */
  workRemoteDir: string;
  /** A repository sessions name by URL (served by the daemon), cut into worktrees from each replica's mirror. */
  seedUrl: string;
  cluster: Cluster;
  /** Ends every process (replicas and their runners, the model, the daemon, Redis, PostgreSQL); keeps the folder when `keep` (a failed run). */
  teardown(keep: boolean): Promise<void>;
}

/**
 * A private PostgreSQL cluster (the machine's own is shared with other tests
 * and must never be restarted), a redis-server, a git daemon and a scripted
 * model of the run's own, on free loopback ports; then `replicas` orchestrators.
 */
export async function startChaosEnvironment(replicas: number): Promise<ChaosEnvironment> {
  const dir = tempDir("orch-chaos-");
  const root = dir.path;
  let postgres: PrivatePostgres | null = null;
  let redis: TestRedisServer | null = null;
  let git: TestGitDaemon | null = null;
  let model: ModelProcess | null = null;
  let cluster: Cluster | null = null;
  const teardown = async (keep: boolean) => {
    await cluster?.stopAll();
    await model?.stop();
    await git?.stop();
    await redis?.stop();
    if (keep) await postgres?.stop("immediate");
    else await postgres?.destroy();
    if (!keep) dir.remove();
  };
  try {
    postgres = await startPrivatePostgres();
    await withAdmin((c) => c.query("CREATE DATABASE chaos"), postgres.url());
    const databaseUrl = postgres.url("chaos");
    redis = await startTestRedisServer();
    git = await createTestGitDaemon(join(root, "git"));
    const workRemoteDir = git.initBare("work.git");
    const seedDir = git.initBare("seed.git");
    const seedWork = join(root, "seed-work");
    execFileSync("mkdir", ["-p", seedWork]);
    createGitRepo(seedWork, { "README.md": "# chaos seed repository\n", "app.txt": "the app\n" });
    execFileSync("git", ["push", "-q", seedDir, "HEAD:refs/heads/main"], { cwd: seedWork });
    execFileSync("git", ["--git-dir", seedDir, "symbolic-ref", "HEAD", "refs/heads/main"]);
    await git.start();
    model = await startModelProcess(root);
    cluster = new Cluster({
      root,
      modelUrl: model.url,
      databaseUrl,
      redisUrl: redis.url,
      gitPort: git.port,
      replicas,
      env: {
        // At the first start only (the default agent's row): room for every session of a scenario.
        ORCHESTRATOR_DEFAULT_AGENT_CONCURRENCY: "50",
        ORCHESTRATOR_MAX_CONCURRENT_ATTEMPTS: "40",
        ORCHESTRATOR_PROVIDER_RETRIES: "3",
      },
    });
    // The first one migrates; the others then start side by side.
    const first = await cluster.start(1);
    await Promise.all(cluster.slots.slice(1).map((slot) => cluster!.start(slot)));
    await first.api.call("patchTenant", { params: { id: DEFAULT_TENANT_ID }, body: { maxConcurrentSessions: 200 } });
    return {
      root,
      postgres,
      databaseUrl,
      redis,
      git,
      model,
      workRemoteDir,
      seedUrl: git.url("seed.git"),
      cluster,
      teardown,
    };
  } catch (e) {
    await teardown(false).catch(() => undefined);
    throw e;
  }
}

/**
 * Processes still alive that belong to the run: their command line (the
 * daemon, PostgreSQL, the model) or environment (orchestrators, runners and their tools:
 * data dirs under the run's folder) names its folder.
 */
export function leftoverProcesses(root: string): string[] {
  return readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) return [];
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "latin1").replace(/\0/g, " ");
      const environ = readFileSync(`/proc/${entry}/environ`, "latin1");
      return cmd.includes(root) || environ.includes(root) ? [`${entry} ${cmd.trim()}`] : [];
    } catch {
      return [];
    }
  });
}
