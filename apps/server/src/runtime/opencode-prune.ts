import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  coerceError,
  computeOpenCodeKeepReason,
  computeStoreOwners,
  FINISHED_STATUSES,
  type Clock,
} from "@industrial/core";
import { listOpenCodePruneCandidates, markOpenCodeSessionsPruned, type CrossTenantDatabase } from "@industrial/db";
import { createOpenCodeClient, OpenCodeRequestError, type OpenCodeCallObserver } from "@industrial/opencode";
import type { Logger } from "pino";
import type { ManagedProcessInfo } from "./managed-slot";

/** Attempts looked at per round: each costs one DELETE to the runner. */
const PRUNE_BATCH = 200;

export interface OpenCodePruneOptions {
  db: CrossTenantDatabase;
  /** This replica's managed processes (one that runs is asked to delete). */
  processes: () => ManagedProcessInfo[];
  /** The Authorization header of a process's URL (each managed runner has a password of its own). */
  headersFor: (baseUrl: string) => Record<string, string> | undefined;
  /** The replica ids whose managed runners kept their sessions in this data dir's store. */
  owners: readonly string[];
  graceMs: number;
  clock: Clock;
  log: Logger;
  observe?: OpenCodeCallObserver;
}

/**
 * Deletes, through OpenCode's own API (`DELETE /session/{id}`), the OpenCode
 * sessions of attempts that ended more than the grace period ago and that
 * nothing will continue (core's `computeOpenCodeKeepReason`). Only this data
 * dir's store is pruned: the sessions of attempts run by managed runners of
 * this replica or of the replicas that used the data dir before it (all
 * managed processes of a data dir share one store). Remote runners' stores
 * are their operator's and are left alone. No runner is started for it: with
 * none running, the round waits for the next. Returns how many were deleted.
 */
export async function pruneOpenCodeSessions(o: OpenCodePruneOptions): Promise<number> {
  const runner = o.processes().find((p) => p.state === "running" && p.healthy && p.url && !p.draining);
  if (!runner?.url || !o.owners.length) return 0;
  const now = o.clock.now();
  const candidates = await listOpenCodePruneCandidates(o.db, {
    owners: o.owners,
    endedBefore: new Date(now.getTime() - o.graceMs),
    finishedStatuses: FINISHED_STATUSES,
    limit: PRUNE_BATCH,
  });
  // No directory: deleting needs no project, and naming the session's would make OpenCode load it.
  const headers = o.headersFor(runner.url);
  const client = createOpenCodeClient({
    baseUrl: runner.url,
    directory: "",
    timeoutMs: 10_000,
    ...(headers ? { headers } : {}),
    ...(o.observe ? { observe: o.observe } : {}),
  });
  const pruned: string[] = [];
  for (const c of candidates) {
    if (computeOpenCodeKeepReason(c, now, o.graceMs) !== null) continue;
    try {
      // Gone already (deleted by hand, or a store that was reset) counts as pruned too.
      await client.deleteSession(c.openCodeSessionId);
      pruned.push(c.attemptId);
    } catch (e) {
      const refused = e instanceof OpenCodeRequestError && e.status !== null && e.status < 500;
      o.log.warn(
        { runner: runner.name, openCodeSessionId: c.openCodeSessionId, err: coerceError(e).message },
        refused
          ? "OpenCode refused to delete the session; it is left in its store"
          : "OpenCode session not deleted; trying again next round",
      );
      // A refusal will not change by asking again (and must not hold up the rest); a runner in trouble might.
      if (!refused) break;
      pruned.push(c.attemptId);
    }
  }
  await markOpenCodeSessionsPruned(o.db, pruned);
  return pruned.length;
}

/**
 * Records this replica among those whose managed runners keep their sessions
 * in the data dir's OpenCode store, and returns them all. Replica ids are new
 * at every start while the store (under the data dir) lives on, so the list
 * is kept beside it.
 */
export async function recordStoreOwner(opencodeDir: string, replica: string): Promise<string[]> {
  const path = join(opencodeDir, "store-owners.json");
  const recorded = await readFile(path, "utf8")
    .then((text) => JSON.parse(text) as unknown)
    .then((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []))
    .catch(() => [] as string[]);
  const owners = computeStoreOwners(recorded, replica);
  await mkdir(opencodeDir, { recursive: true });
  // Written aside and renamed: a crash mid-write never leaves half a list.
  await writeFile(`${path}.tmp`, JSON.stringify(owners));
  await rename(`${path}.tmp`, path);
  return owners;
}
