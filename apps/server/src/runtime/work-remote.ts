import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { coerceError, computePushTarget, parseWorkRemote, sessionShortId } from "@industrial/core";
import {
  bypassTenantWall,
  forTenant,
  listUnpushedCheckpoints,
  markCheckpointsPushed,
  type Database,
} from "@industrial/db";
import {
  createBranchPusher,
  createRoutedCheckpointPusher,
  createWorkRemote,
  runGit,
  type BranchPusher,
  type CheckpointPusher,
  type WorkRemote,
} from "@industrial/opencode";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { Metrics } from "../metrics/registry";

/** The work remote of this replica and the pushers that feed it (docs/work-remote.md). */
export interface WorkRemoteRuntime {
  remote: WorkRemote;
  /** Any other repository git talks to (a URL repository: its mirror's fetches, its sessions' pushes), with the same credentials setup. */
  remoteFor(url: string): WorkRemote;
  /** Every checkpoint: the session branch (leased) and its immutable ref, on the work remote or the session's origin. */
  checkpoints: CheckpointPusher;
  /** Task trees' integration branches (forward only). */
  branches: BranchPusher;
  stop(): Promise<void>;
}

/**
 * Makes the work remote ready and starts its pushers. The default (nothing
 * configured) is a bare repository under the data dir, created here, so a
 * laptop behaves as a cluster does; a configured path must already be a
 * repository (a typo must not silently start a new one). Network remotes are
 * not contacted at start: one that is down is retried at each push.
 * @throws Error naming the variable when a path or the SSH key file is missing.
 */
export async function startWorkRemote(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  metrics: Metrics;
}): Promise<WorkRemoteRuntime> {
  const { config, logger } = deps;
  const url = config.ORCHESTRATOR_WORK_REMOTE;
  const kind = parseWorkRemote(url);
  const log = logger.child({ component: "work-remote" });
  if (config.workRemoteIsDefault) await initBare(url);
  else if (kind.ok && kind.kind === "path" && !existsSync(url)) {
    throw new Error(`ORCHESTRATOR_WORK_REMOTE: ${url} does not exist; create it with \`git init --bare ${url}\``);
  }
  if (config.ORCHESTRATOR_GIT_SSH_KEY && !existsSync(config.ORCHESTRATOR_GIT_SSH_KEY)) {
    throw new Error(`ORCHESTRATOR_GIT_SSH_KEY: ${config.ORCHESTRATOR_GIT_SSH_KEY} does not exist`);
  }
  const remoteFor = (other: string) => createWorkRemote(other, { sshKeyFile: config.ORCHESTRATOR_GIT_SSH_KEY ?? null });
  const remote = remoteFor(url);
  if (config.workRemoteIsDefault && config.DATABASE_URL)
    log.warn(
      { workRemote: remote.display },
      "the work remote is this replica's own data dir: set ORCHESTRATOR_WORK_REMOTE to a shared remote so other replicas can serve its sessions",
    );
  const pushes = deps.metrics.workRemotePushes;
  const checkpoints = createRoutedCheckpointPusher({
    work: remote,
    remoteFor,
    // Each tenant's rows are written under its own row-level security.
    recordPushed: async ({ tenantId, sessionId, seqs, remote: shown, at }) => {
      await markCheckpointsPushed(forTenant(deps.db, tenantId), tenantId, sessionId, { seqs, remote: shown, at });
    },
    observe: (result) => pushes.inc({ result }),
    staleWrite: () => deps.metrics.staleWrites.inc({ kind: "git" }),
    log: (level, msg, extra) => log[level](extra ?? {}, msg),
  });
  const branches = createBranchPusher({
    remote,
    observe: (result) => pushes.inc({ result }),
    log: (level, msg, extra) => log[level](extra ?? {}, msg),
  });
  log.info({ workRemote: remote.display }, "checkpoints are pushed to the work remote");
  void sweepUnpushed(deps.db, checkpoints).catch((e: unknown) =>
    log.warn({ err: coerceError(e).message }, "checkpoints left unpushed could not be listed"),
  );
  return {
    remote,
    remoteFor,
    checkpoints,
    branches,
    stop: async () => {
      // One last try for what is pending (the attempts' final checkpoints), bounded: a remote that hangs must not hold up the shutdown.
      await within(SHUTDOWN_TRY_MS, Promise.all([checkpoints.flush(), branches.flush()]));
      await within(SHUTDOWN_TRY_MS, Promise.all([checkpoints.stop(), branches.stop()]));
    },
  };
}

const SHUTDOWN_TRY_MS = 5000;

function within(ms: number, work: Promise<unknown>): Promise<unknown> {
  return Promise.race([work, new Promise((r) => setTimeout(r, ms).unref())]);
}

/** How many checkpoints left unpushed a start hands to the pusher (oldest first); the rest wait for their sessions' next push. */
const SWEEP_LIMIT = 1000;

/**
 * Checkpoints a previous process recorded but never pushed (the remote was
 * down when it stopped) go again, from the workspaces this replica still has.
 * Only their checkpoint refs: the branch is the business of the session's
 * lease holder, whose next checkpoint moves it (its lease takes over whatever
 * the branch holds of the session's recorded checkpoints).
 */
async function sweepUnpushed(db: Database, pusher: CheckpointPusher): Promise<void> {
  const owner = bypassTenantWall(db, "work remote: checkpoints of every tenant a previous process left unpushed");
  for (const c of await listUnpushedCheckpoints(owner, SWEEP_LIMIT)) {
    const dirs = [c.workspace.path, c.workspace.mirror ?? c.workspace.repository].filter(
      (d): d is string => !!d && existsSync(d),
    );
    if (dirs.length === 0) continue;
    const history = { commits: [], lastPushedCommit: null };
    const target = computePushTarget(c.workspace);
    const remote = target.kind === "origin" ? target.url : null;
    pusher.push({
      tenantId: c.tenantId,
      sessionId: c.sessionId,
      shortId: sessionShortId(c.sessionId),
      dirs,
      seq: c.seq,
      commit: c.gitCommit,
      fencingToken: -1,
      history,
      refOnly: true,
      remote,
    });
  }
}

// `git init --bare` once; an existing repository is left as it is.
async function initBare(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  if (existsSync(`${path}/HEAD`)) return;
  await runGit(["init", "--quiet", "--bare"], { cwd: path });
}
