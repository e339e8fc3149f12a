import { breakerReopensAt, breakerStateAt, ConflictError, NotFoundError, type Runner } from "@industrial/core";
import type { DeleteRunnerQuery, ListRunnersQuery, RegisterRunnerBody, RunnerView } from "@industrial/contracts";
import {
  getRunner,
  insertRunner,
  listRunnerPage,
  retireRunner,
  runnerUsage,
  setRunnerDraining,
  updateRunnerStatus,
  type RunnerWithLoad,
} from "@industrial/db";
import { checkHealth } from "@industrial/opencode";
import type { z } from "zod";
import { computeAuthHeaders } from "../runtime/remote-runners";
import { sealSecret } from "../auth/secret-box";
import type { ServiceDeps } from "./deps";
import { assertRunnerUrlAllowed } from "./runner-url";

/** The wire view: the breaker as it stands at `now`; the password never leaves the server. */
export function toRunnerView(r: RunnerWithLoad, now: Date): RunnerView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    version: r.version,
    health: r.health,
    draining: r.draining,
    ownerReplica: r.ownerReplica,
    sessions: r.sessions,
    memoryBytes: r.memoryBytes,
    breaker: {
      ...r.breaker,
      state: breakerStateAt(r.breaker, now),
      reopensAt: breakerReopensAt(r.breaker)?.toISOString() ?? null,
    },
    // A managed runner's password is its process's own, held in memory only: set, never stored.
    passwordSet: r.kind === "managed" || r.password !== null,
    lastCheckedAt: r.lastCheckedAt,
    createdAt: r.createdAt,
  };
}

async function findRunner(deps: ServiceDeps, id: string): Promise<Runner> {
  const r = await getRunner(deps.db, deps.tenantId, id);
  if (!r || r.tenantId !== deps.tenantId || r.deletedAt) throw new NotFoundError("runner", id);
  return r;
}

async function withLoad(deps: ServiceDeps, r: Runner): Promise<RunnerWithLoad> {
  return { ...r, sessions: (await runnerUsage(deps.db, deps.tenantId, r.id)).running };
}

export async function listRunnerViews(deps: ServiceDeps, query: z.output<typeof ListRunnersQuery>) {
  const page = await listRunnerPage(deps.db, {
    tenantId: deps.tenantId,
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
  });
  const now = deps.clock.now();
  return { ...page, items: page.items.map((r) => toRunnerView(r, now)) };
}

/**
 * Registers a remote OpenCode server. It is checked at once (an unreachable
 * one is registered all the same, unhealthy: it may come up later) and every
 * replica picks it up from the database.
 */
export async function registerRemoteRunner(
  deps: ServiceDeps,
  body: z.output<typeof RegisterRunnerBody>,
): Promise<RunnerView> {
  await assertRunnerUrlAllowed(body.url);
  // Stored sealed with the server secret; only the runner pool opens it, to call the runner.
  const password = body.password === undefined ? null : sealSecret(deps.secret.encryption, body.password);
  const row = await insertRunner(deps.db, {
    tenantId: deps.tenantId,
    name: body.name,
    kind: "remote",
    url: body.url,
    ownerReplica: null,
    health: "starting",
    password,
  });
  const h = await checkHealth(body.url, 2_000, computeAuthHeaders(body.password ?? null));
  await updateRunnerStatus(deps.db, deps.tenantId, row.id, {
    health: h.healthy ? "healthy" : "unhealthy",
    ...(h.version ? { version: h.version } : {}),
  });
  await deps.runners.sync();
  return toRunnerView(await withLoad(deps, await findRunner(deps, row.id)), deps.clock.now());
}

/**
 * Soft-deletes a remote runner. Refused while agents are bound to it or
 * sessions run on it, unless forced: then its agents stay bound but are not
 * routable until rebound, and its running sessions finish where they are.
 * Managed runners belong to their replica and go with it.
 */
export async function deleteRunner(
  deps: ServiceDeps,
  id: string,
  query: z.output<typeof DeleteRunnerQuery>,
): Promise<void> {
  const r = await findRunner(deps, id);
  if (r.kind === "managed")
    throw new ConflictError(
      `runner ${r.name} is a managed runner of replica ${r.ownerReplica}: it stops with its replica and cannot be deleted (recycle it to replace its process)`,
    );
  const usage = await runnerUsage(deps.db, deps.tenantId, id);
  if (!query.force && (usage.agents > 0 || usage.running > 0))
    throw new ConflictError(
      `runner ${r.name} is in use: ${usage.agents} agent(s) bound to it, ${usage.running} session(s) running on it; rebind the agents (PATCH /agents/{id} runnerId) and let the sessions finish, or delete with ?force=true`,
      { context: usage },
    );
  if (!(await retireRunner(deps.db, deps.tenantId, id))) throw new NotFoundError("runner", id);
  await deps.runners.sync();
}

/**
 * Recycles a managed runner: it takes no new attempts, a replacement process
 * starts, and it stops once its running sessions ended. Another replica's
 * runner is flagged draining in its row; its owner does the rest within one check interval.
 */
export async function recycleRunner(deps: ServiceDeps, id: string): Promise<RunnerView> {
  const r = await findRunner(deps, id);
  if (r.kind === "remote")
    throw new ConflictError(
      `runner ${r.name} is a remote runner: the orchestrator does not run its process, so it cannot recycle it`,
    );
  if (!r.draining) {
    if (!deps.runners.recycle(id, "recycling was requested through the API"))
      await setRunnerDraining(deps.db, deps.tenantId, id, true);
  }
  // An idle runner may be stopped and retired already: its last row is shown.
  const after = (await getRunner(deps.db, deps.tenantId, id)) ?? r;
  return toRunnerView(await withLoad(deps, { ...after, draining: true }), deps.clock.now());
}
